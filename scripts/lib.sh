# Shared helpers for Kaohe's scripts (sourced, not run).

step() { printf '\n==> %s\n' "$*"; }

# Installs the Debian packages that are missing, and only those: a bare `apt-get install` would also
# upgrade what is already there.
need_debs() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for_url() {
    local url=$1 tries=${2:-120}
    for _ in $(seq "$tries"); do
        curl -fsS "$url" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    echo "timed out waiting for $url" >&2
    return 1
}

# `swift test --skip-build "$@"`. When the test process itself dies of a signal rather than a test failing (CI once
# saw a SIGSEGV inside the Swift concurrency runtime, `swift::TaskGroup::offer`, under no test's code), it says so
# and runs the suite once more; a test that fails is reported at once and never run again.
swift_tests() {
    local log status=0
    log=$(mktemp)
    swift test --skip-build "$@" 2>&1 | tee "$log" || status=$?
    if [ "$status" -ne 0 ] && grep -q "exited with unexpected signal code" "$log" \
        && ! grep -qE "✘ Test .* (failed|recorded an issue)" "$log"; then
        echo "!! the test process crashed (above) with no test failing; running the suite once more" >&2
        status=0
        swift test --skip-build "$@" || status=$?
    fi
    rm -f "$log"
    return "$status"
}
