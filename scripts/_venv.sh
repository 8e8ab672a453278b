# Sourced by the other scripts: make .venv (once), install a requirements file into it and the project
# itself, editable, so .venv/bin/statbotic exists (again only when those files changed).
# Leaves the venv's bin first on PATH.
ensure_venv() {
  local requirements="$1" venv=".venv" stamp
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || {
      echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv" >&2
      exit 1
    }
  fi
  stamp="$venv/.installed-$(basename "$requirements")-$(cat requirements*.txt pyproject.toml | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "Installing Statbotic and its dependencies into $venv (first time only)..." >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --editable .
    touch "$stamp"
  fi
  export PATH="$PWD/$venv/bin:$PATH"
}
