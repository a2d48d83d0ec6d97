# syntax=docker/dockerfile:1
# The jailkeeper image: /jailkeeper-webhook (server, `certs` hook Jobs, `audit`; also on PATH as
# jailkeeper-webhook for the chart's `command: [jailkeeper-webhook]`) and the static
# /jailkeeper-launch, which the injected init container runs as
# `/jailkeeper-launch install /jailkeeper/bin` to copy itself into agent pods.
# Built the way CI builds (scripts/install-deps.sh, CMake + Ninja, -Werror), Release, no tests.
# With a registry:
#   docker build --build-arg REVISION=$(git rev-parse HEAD) -t REGISTRY/jailkeeper:0.1.0 .
# Without one, `make image` assembles the same image offline (scripts/build-image.sh).
# tests/integration/test_dockerfile.py keeps this file in step with the Makefile and the chart;
# tests/integration/test_image.py keeps the offline image in step with this file.

# VERSION: the project version (CMakeLists.txt; the build fails when the binaries say another).
# REVISION: the git commit built (there is no .git in the build context).
ARG VERSION=0.1.0
ARG REVISION=unknown

FROM debian:12 AS build
ARG VERSION
ARG REVISION
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DJK_WERROR=ON -DJK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
      -DJK_REVISION=${REVISION} \
 && ninja -C build jailkeeper-webhook jailkeeper-launch
# The launcher runs inside arbitrary agent images: it must not need their libc (ldd fails on a
# static binary). The webhook needs only what distroless/cc has, plus yaml-cpp (with its package
# record and copyright, as distroless keeps them, so image scanners see its version).
RUN ! ldd build/launcher/jailkeeper-launch \
 && grep -qx "VERSION=${VERSION}" build/build-info.env \
 && lib="usr/lib/$(gcc -dumpmachine)" \
 && mkdir -p "/out/usr/local/bin" "/out/${lib}" /out/var/lib/dpkg/status.d \
      /out/usr/share/doc/libyaml-cpp0.7 \
 && install -m 0755 -s build/webhook/jailkeeper-webhook /out/jailkeeper-webhook \
 && install -m 0755 -s build/launcher/jailkeeper-launch /out/jailkeeper-launch \
 && ln -s /jailkeeper-webhook /out/usr/local/bin/jailkeeper-webhook \
 && cp -L "/${lib}/libyaml-cpp.so.0.7" "/out/${lib}/" \
 && dpkg-query -s libyaml-cpp0.7 > /out/var/lib/dpkg/status.d/libyaml-cpp0.7 \
 && cp /usr/share/doc/libyaml-cpp0.7/copyright /out/usr/share/doc/libyaml-cpp0.7/

FROM gcr.io/distroless/cc-debian12:nonroot
ARG VERSION
ARG REVISION
LABEL org.opencontainers.image.source="https://github.com/jailkeeper/jailkeeper" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.title="jailkeeper"
COPY --from=build /out/ /
USER 65532:65532
ENTRYPOINT ["/jailkeeper-webhook"]
CMD ["serve"]
