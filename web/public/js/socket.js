// One session with the server: a WebSocket at /ws speaking protocol.js.
import { MSG } from './protocol.js';

export class Connection {
  /**
   * Opens the socket. handlers: open() once connected, output(Uint8Array) for terminal bytes,
   * message(msg) for control messages, close(code) at the end. None is called after abandon().
   */
  constructor(handlers) {
    this.handlers = handlers;
    this.abandoned = false;
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      if (!this.abandoned) handlers.open();
    };
    ws.onmessage = (ev) => {
      if (this.abandoned) return;
      if (typeof ev.data === 'string') handlers.message(JSON.parse(ev.data));
      else handlers.output(new Uint8Array(ev.data));
    };
    ws.onclose = (ev) => {
      if (!this.abandoned) handlers.close(ev.code);
    };
    this.ws = ws;
  }

  get isOpen() {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** The terminal's size: the first one starts the app. */
  hello(cols, rows) {
    this.json({ t: MSG.HELLO, cols, rows });
  }

  resize(cols, rows) {
    this.json({ t: MSG.RESIZE, cols, rows });
  }

  /** Terminal input (Uint8Array). */
  sendBytes(bytes) {
    if (this.isOpen) this.ws.send(bytes);
  }

  json(obj) {
    if (this.isOpen) this.ws.send(JSON.stringify(obj));
  }

  /** Close it without telling the handlers: the page has moved on to a new session. */
  abandon() {
    this.abandoned = true;
    this.ws.close(1000, 'restart');
  }
}
