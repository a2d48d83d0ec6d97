# syntax=docker/dockerfile:1
# The jailkeeper image: /jailkeeper-webhook (server, `certs` hook Jobs, `audit`; also on PATH as
# jailkeeper-webhook for the chart's `command: [jailkeeper-webhook]`) and the static
# /jailkeeper-launch, which the injected init container runs as
# `/jailkeeper-launch install /jailkeeper/bin` to copy itself into agent pods.
# Built the way CI builds (scripts/install-deps.sh, CMake + Ninja, -Werror), Release, no tests.
# tests/integration/test_dockerfile.py keeps this file in step with the Makefile and the chart.

FROM debian:12 AS build
WORKDIR /src
COPY scripts/install-deps.sh scripts/install-deps.sh
RUN scripts/install-deps.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B build -G Ninja -DJK_WERROR=ON -DJK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release \
 && ninja -C build jailkeeper-webhook jailkeeper-launch
# The launcher runs inside arbitrary agent images: it must not need their libc (ldd fails on a
# static binary). The webhook needs only what distroless/cc has, plus yaml-cpp.
RUN ! ldd build/launcher/jailkeeper-launch \
 && lib="usr/lib/$(gcc -dumpmachine)" \
 && mkdir -p "/out/usr/local/bin" "/out/${lib}" \
 && install -m 0755 -s build/webhook/jailkeeper-webhook /out/jailkeeper-webhook \
 && install -m 0755 -s build/launcher/jailkeeper-launch /out/jailkeeper-launch \
 && ln -s /jailkeeper-webhook /out/usr/local/bin/jailkeeper-webhook \
 && cp -L "/${lib}/libyaml-cpp.so.0.7" "/out/${lib}/"

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/ /
USER 65532:65532
ENTRYPOINT ["/jailkeeper-webhook"]
CMD ["serve"]
