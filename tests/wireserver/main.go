// Command wireserver is a tiny MongoDB-wire-protocol test server for the
// Statbotic test suite. It embeds FerretDB v1 (package
// github.com/FerretDB/FerretDB/ferretdb) with its SQLite backend.
//
// Usage:
//
//	wireserver -dir DATA_DIR [-listen 127.0.0.1:0] [-stop-grace 3s]
//
// On start it prints exactly one line to stdout, the MongoDB URI it serves
// (e.g. "mongodb://127.0.0.1:40123/"), then runs until SIGTERM or SIGINT and
// exits 0. Errors are logged to stderr; everything below error level is
// discarded.
//
// On SIGTERM/SIGINT the listening socket is closed at once. FerretDB then
// keeps already open client connections for up to 3 seconds before closing
// them and its SQLite backend; -stop-grace bounds that wait: when it runs
// out, the process exits 0 at once, dropping the remaining connections like
// a crashed server would (committed SQLite data is safe). A second signal
// also exits at once.
//
// Build (see tests/support/wireserver.py):
//
//	go build -tags ferretdb_no_postgresql -trimpath -o wireserver .
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	os.Exit(run())
}

func run() int {
	dir := flag.String("dir", "", "directory for SQLite database files (created if missing; required)")
	listen := flag.String("listen", "127.0.0.1:0", "TCP address to listen on; port 0 picks a free port")
	stopGrace := flag.Duration("stop-grace", 3*time.Second,
		"on SIGTERM/SIGINT, how long to wait for open client connections before exiting anyway")
	flag.Parse()

	if *dir == "" {
		fmt.Fprintln(os.Stderr, "wireserver: -dir is required")
		return 2
	}

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wireserver: %s\n", err)
		return 1
	}

	if err = os.MkdirAll(abs, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "wireserver: %s\n", err)
		return 1
	}

	// FerretDB wants a "file:" URI of an existing directory, ending with "/".
	sqliteURL := (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs) + "/"}).String()

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "wireserver: %s\n", err)
		return 1
	}

	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan error, 1)

	go func() {
		done <- f.Run(ctx)
	}()

	// The TCP listener is already bound by ferretdb.New, so the URI carries
	// the real port even when -listen used port 0.
	fmt.Fprintln(os.Stdout, f.MongoDBURI())
	_ = os.Stdout.Sync()

	select {
	case err = <-done: // Run does not stop by itself, but just in case
		if err != nil {
			fmt.Fprintf(os.Stderr, "wireserver: %s\n", err)
			return 1
		}

		return 0
	case <-sigs:
	}

	cancel()

	grace := time.NewTimer(*stopGrace)
	defer grace.Stop()

	select {
	case err = <-done:
		if err != nil {
			fmt.Fprintf(os.Stderr, "wireserver: %s\n", err)
			return 1
		}
	case <-grace.C:
	case <-sigs:
	}

	return 0
}
