# syntax=docker/dockerfile:1
# helpdesk as a container: a static binary on a minimal base with CA
# certificates and time zones, run as a non-root user, its data in the
# /data volume, healthy while /healthz says so. See docs/deploy.md.
#
#   docker build -t helpdesk .
#   docker run -d --name helpdesk -v helpdesk-data:/data -p 8080:8080 \
#     --env-file helpdesk.env helpdesk

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# A static binary (no cgo), stamped with the commit when .git is in the
# build context; a test runs this very command (cmd/helpdesk, TestDockerfileBuild).
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=auto -ldflags="-s -w" -o /out/helpdesk ./cmd/helpdesk
RUN mkdir -p /out/data

# distroless static: CA certificates, time zones, /tmp and a nonroot user
# (65532), and nothing else: no shell, no package manager.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/helpdesk /usr/local/bin/helpdesk
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
# Every setting can be given as HELPDESK_… (docs/environment.md); the
# tokens too come from the environment, never from the image.
ENV HELPDESK_DATA_DIR=/data \
    HELPDESK_HTTP_ADDR=:8080
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["/usr/local/bin/helpdesk", "health", "-addr", "127.0.0.1:8080"]
# SIGTERM (docker stop) drains the work in flight and exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/helpdesk"]
