# lib.sh - shell helpers the scripts share: installing Debian packages without starting their services.

# apt_install PACKAGE...: installs what is missing (nothing is fetched when all are present). Services a
# package would start on installation (redis, nginx, prometheus) are not started: labgate and its tests
# run their own private instances.
apt_install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]}; run this script as root to install them." >&2
        return 1
    fi
    local policy=/usr/sbin/policy-rc.d made_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod +x "$policy" && made_policy=1
    fi
    local rc=0
    DEBIAN_FRONTEND=noninteractive apt-get update -qq || rc=$?
    if [ $rc -eq 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" || rc=$?
    fi
    if [ "$made_policy" -eq 1 ]; then rm -f "$policy"; fi
    return $rc
}

# What building and running labgate needs: a C toolchain, CMake, and the libraries labgate links.
BUILD_PACKAGES=(build-essential cmake pkg-config ca-certificates libh2o-dev libuv1-dev libssl-dev libjansson-dev libgit2-dev libhiredis-dev libcurl4-openssl-dev)

# What `labgate dev` runs besides labgate: a private Redis, and each user's Jupyter Notebook server.
RUN_PACKAGES=(git redis-server jupyter-notebook python3-ipykernel)

# What the tests need besides: real HTTP clients, TLS tools, promtool, Node.js for the badge comparison
# and the browser test, Debian's Chromium with a font for its pages, and clang-format for the style check.
TEST_PACKAGES=("${RUN_PACKAGES[@]}" curl nghttp2-client openssl python3 prometheus chromium fonts-dejavu-core clang-format jupyterhub node-configurable-http-proxy)
