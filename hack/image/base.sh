#!/usr/bin/env bash
# The image's base, without a registry or a Docker daemon: a Java 17 runtime jlink'd from the local JDK (the modules
# ecs-bridge uses) and the few shared libraries it loads, taken from Debian packages (apt-get download at the
# versions installed here, dpkg-deb -x: no root needed), as a directory tree that Jib lays on `scratch`
# (operator/pom.xml, `make image`). Prints the directory. Rebuilt only when the JDK, this script or the packages change.
#   /opt/java                  the runtime (bin/java, lib/, the CA certificates as a real file)
#   /lib/x86_64-linux-gnu      libc, libm, libz, libstdc++, libgcc_s (what `readelf -d` says the runtime needs)
#   /lib64/ld-linux-x86-64.so.2
#   /tmp                       1777 (the chart mounts an emptyDir there)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/operator/target/image-base}
# jdeps --print-module-deps of the shaded jar, plus what it cannot see: TLS elliptic curves (HTTPS to AWS and the
# API server), JUL, XML (a logback file given with -Dlogback.configurationFile) and the extra charsets
modules=java.base,java.compiler,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss
modules=$modules,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.httpserver,jdk.management,jdk.unsupported

jdk=$(dirname "$(dirname "$(readlink -f "$(command -v jlink)")")")
[[ -d "$jdk/jmods" ]] || { echo "image base: $jdk has no jmods/ (install a full JDK 17, e.g. openjdk-17-jdk-headless)" >&2; exit 1; }
# the image's JVM options (JAVA_TOOL_OPTIONS) name -XX:TrimNativeHeapInterval, a product option of Java 17 since 17.0.12
"$jdk/bin/java" -XX:TrimNativeHeapInterval=15000 -version >/dev/null 2>&1 \
  || { echo "image base: $jdk refuses -XX:TrimNativeHeapInterval (the image's JVM options): use a JDK 17.0.12 or later" >&2; exit 1; }
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
stamp=$( { "$jdk/bin/java" -version 2>&1; echo "$modules"; cat "$0"; } | sha256sum | cut -c1-16)
if [[ -f "$out/.stamp" && "$(cat "$out/.stamp")" == "$stamp" ]]; then
  echo "$out"; exit 0
fi
first() { for f in "$@"; do [[ -e "$f" ]] && { echo "$f"; return; }; done; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$out"
mkdir -p "$out/opt" "$out/lib/$multiarch" "$out/lib64" "$out/tmp"
chmod 1777 "$out/tmp"

"$jdk/bin/jlink" --add-modules "$modules" --output "$out/opt/java" --strip-debug --no-header-files --no-man-pages \
  --compress=2 >&2
# Debian's JDK keeps its configuration under /etc and links to it: make every link a real file
for f in $(find "$out/opt/java" -type l); do cp --remove-destination "$(readlink -f "$f")" "$f"; done
[[ -s "$out/opt/java/lib/security/cacerts" ]] || cp /etc/ssl/certs/java/cacerts "$out/opt/java/lib/security/cacerts"
# java.desktop is there for java.beans only (headless: no AWT, fonts, images or sound): its native libraries would
# bring X11, freetype and ALSA along
for lib in libawt libawt_headless libawt_xawt libfontmanager libjavajpeg libjawt libjsound liblcms libmlib_image \
    libsplashscreen; do
  rm -f "$out/opt/java/lib/$lib.so"
done

# The shared libraries the runtime's ELF files need, outside the runtime itself, and the packages that ship them.
needed=$(find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec readelf -d {} \; 2>/dev/null \
  | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u)
sonames=()
for so in $needed; do
  [[ -n "$(find "$out/opt/java" -name "$so" -print -quit)" ]] || sonames+=("$so")
done
interpreter=$(readelf -l "$out/opt/java/bin/java" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
packages=()
for so in "${sonames[@]}" "$(basename "$interpreter")"; do
  path=$(first /lib/"$multiarch"/"$so" /usr/lib/"$multiarch"/"$so")
  [[ -n "$path" ]] || { echo "image base: $so not found on this machine" >&2; exit 1; }
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1) || true
  [[ -n "$pkg" ]] || pkg=$(dpkg -S "$path" | head -1 | cut -d: -f1)
  packages+=("$pkg")
done
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | sort -u)
echo "image base: ${sonames[*]} and $(basename "$interpreter") from Debian packages ${packages[*]}" >&2
(
  cd "$tmp"
  for pkg in "${packages[@]}"; do
    version=$(dpkg-query -W -f='${Version}' "$pkg:$arch" 2>/dev/null || dpkg-query -W -f='${Version}' "$pkg")
    # the installed version, else (superseded on the mirror) the candidate; the package lists refreshed once if needed
    apt-get download -qq "$pkg=$version" >/dev/null 2>&1 || apt-get download -qq "$pkg" >/dev/null 2>&1 \
      || { [[ $(id -u) == 0 ]] && apt-get update -qq >&2 && apt-get download -qq "$pkg" >/dev/null 2>&1; } \
      || { echo "image base: apt-get download $pkg failed (apt-get update, then again)" >&2; exit 1; }
  done
  for deb in *.deb; do dpkg-deb -x "$deb" extracted; done
)
for so in "${sonames[@]}"; do
  src=$(first "$tmp"/extracted/lib/"$multiarch"/"$so" "$tmp"/extracted/usr/lib/"$multiarch"/"$so")
  [[ -n "$src" ]] || { echo "image base: no $so in ${packages[*]}" >&2; exit 1; }
  cp -L "$src" "$out/lib/$multiarch/$so"
done
cp -L "$(first "$tmp/extracted$interpreter" "$tmp/extracted/lib/$multiarch/$(basename "$interpreter")")" "$out$interpreter"
# the copyright files of what the image redistributes
mkdir -p "$out/usr/share/doc"
for pkg in "${packages[@]}"; do
  [[ -f "$tmp/extracted/usr/share/doc/$pkg/copyright" ]] && mkdir -p "$out/usr/share/doc/$pkg" \
    && cp "$tmp/extracted/usr/share/doc/$pkg/copyright" "$out/usr/share/doc/$pkg/"
done
echo "$stamp" > "$out/.stamp"
echo "$out"
