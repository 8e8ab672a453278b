# Sourced by the other scripts: make .venv (once) and install a requirements file into it
# (again only when that file changed).  Leaves the venv's bin first on PATH.
ensure_venv() {
  local requirements="$1" venv=".venv" stamp
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || {
      echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
      exit 1
    }
  fi
  stamp="$venv/.installed-$(basename "$requirements")-$(cat requirements*.txt | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
  fi
  export PATH="$PWD/$venv/bin:$PATH"
}
