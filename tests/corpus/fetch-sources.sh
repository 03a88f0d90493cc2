#!/usr/bin/env bash
# fetch-sources.sh - corpus fixture: download Debian source packages with a
# private apt state (a deb-src entry for the host's Debian suite; nothing on the
# host changes: no writes to /etc/apt, /var/lib/apt or /var/cache/apt) and
# unpack each once, with Debian's patches applied, into CACHE/tree/PKG.
#
#   fetch-sources.sh --cache CACHE PKG...
#
# A package whose CACHE/tree/PKG/.crosshim-corpus-stamp exists is not fetched
# again, so a warm cache works offline. The .dsc, .orig and .debian files stay
# in CACHE/src/PKG. CACHE/lock serialises concurrent calls.
# CROSSHIM_FIXTURE_SOURCES_LIST (a one-line-style list of deb-src lines)
# replaces the sources derived from the host's apt configuration.
set -euo pipefail

prog=${0##*/}
# shellcheck source=../fixtures/private-apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/../fixtures/private-apt.sh"
readonly STAMP_NAME=.crosshim-corpus-stamp

die() {
    printf '%s: error: %s\n' "$prog" "$*" >&2
    exit 1
}

cache='' pkgs=()
while (($#)); do
    case $1 in
        --cache) cache=${2:?--cache needs a directory}; shift 2 ;;
        --cache=*) cache=${1#*=}; shift ;;
        -h | --help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        -*) die "unknown option $1" ;;
        *) [[ $1 =~ ^[a-z0-9][a-z0-9.+-]*$ ]] || die "bad package name '$1'"; pkgs+=("$1"); shift ;;
    esac
done
[[ -n $cache ]] || die "--cache is required"
((${#pkgs[@]})) || die "no package named"
for tool in apt-get dpkg-source flock; do
    command -v "$tool" >/dev/null || die "required tool not found: $tool (apt-get install dpkg-dev)"
done
mkdir -p -- "$cache/src" "$cache/tree"
cache=$(cd "$cache" && pwd -P)

todo=()
for p in "${pkgs[@]}"; do [[ -f $cache/tree/$p/$STAMP_NAME ]] || todo+=("$p"); done
((${#todo[@]})) || exit 0

exec {lock_fd}>>"$cache/lock"
flock "$lock_fd"
start=$SECONDS
acache=$cache/apt
write_private_apt_conf "$acache" "$(dpkg --print-architecture)"
if [[ -n ${CROSSHIM_FIXTURE_SOURCES_LIST:-} ]]; then
    sources=$(<"$CROSSHIM_FIXTURE_SOURCES_LIST")
else
    sources=$(host_sources | sed 's/^deb /deb-src /')
fi
changed=0
if [[ ! -f $acache/sources.list ]] || [[ "$(<"$acache/sources.list")" != "$sources" ]]; then
    printf '%s\n' "$sources" >"$acache/sources.list"
    changed=1
fi
apt_private() { TMPDIR=$acache/tmp apt-get -c "$acache/apt.conf" "$@"; }

updated=0
apt_update() {
    local try log=$acache/tmp/update.log
    for try in 1 2; do
        if apt_private -qq update >"$log" 2>&1 && ! grep -q '^\(E:\|Err:\)' "$log"; then
            updated=1
            return 0
        fi
        sleep 2
    done
    {
        printf '%s: error: apt-get update (private state in %s) failed:\n' "$prog" "$acache"
        sed 's/^/  /' "$log"
        printf '  sources used:\n'
        sed 's/^/    /' "$acache/sources.list"
    } >&2
    exit 1
}
have_lists=0
for f in "$acache/lists/"*_Sources*; do [[ -f $f ]] && have_lists=1 && break; done
if ((changed || !have_lists)); then apt_update; fi

for p in "${todo[@]}"; do
    [[ -f $cache/tree/$p/$STAMP_NAME ]] && continue
    dl=$cache/src/$p
    rm -rf -- "$dl" "$cache/tree/$p" "$cache/tree/.$p.tmp"
    mkdir -p -- "$dl"
    log=$acache/tmp/source-$p.log
    if ! (cd "$dl" && apt_private -qq source --download-only "$p") >"$log" 2>&1; then
        if ((!updated)); then
            apt_update
            (cd "$dl" && apt_private -qq source --download-only "$p") >"$log" 2>&1 ||
                { sed 's/^/  /' "$log" >&2; die "apt-get source $p failed"; }
        else
            sed 's/^/  /' "$log" >&2
            die "apt-get source $p failed"
        fi
    fi
    dsc=("$dl"/*.dsc)
    [[ ${#dsc[@]} == 1 && -f ${dsc[0]} ]] || die "apt-get source $p gave no single .dsc"
    # Unpacked next to the .dsc: dpkg-source links the .orig files into the
    # output's parent directory.
    dpkg-source --no-check -x "${dsc[0]}" "$dl/unpacked" >"$log" 2>&1 ||
        { sed 's/^/  /' "$log" >&2; die "dpkg-source -x ${dsc[0]} failed"; }
    mv -T -- "$dl/unpacked" "$cache/tree/.$p.tmp"
    version=$(sed -n 's/^Version: //p' "${dsc[0]}")
    printf '%s %s\n' "$p" "$version" >"$cache/tree/.$p.tmp/$STAMP_NAME"
    mv -T -- "$cache/tree/.$p.tmp" "$cache/tree/$p"
    printf '%s: %s %s\n' "$prog" "$p" "$version"
done
rm -rf -- "$acache/tmp"
printf '%s: %d source packages in %s (%ds)\n' "$prog" "${#todo[@]}" "$cache" "$((SECONDS - start))"
