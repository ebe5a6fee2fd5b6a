# syntax=docker/dockerfile:1
# Multi-stage build: a static binary (modernc SQLite needs no cgo) in a
# distroless image, running as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tryggspor ./cmd/tryggspor \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tryggspor /usr/local/bin/tryggspor
# /data must belong to the user the service runs as (nonroot, uid 65532):
# WORKDIR alone would create it owned by root, and the service could not
# create its database, -wal, -shm and lock files on a fresh volume. A new named
# volume mounted here takes this owner and mode.
COPY --from=build --chown=65532:65532 --chmod=0700 /out/data /data
USER nonroot:nonroot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENV TRYGGSPOR_DB=/data/tryggspor.db TRYGGSPOR_ADDR=0.0.0.0:8080
ENTRYPOINT ["/usr/local/bin/tryggspor"]
CMD ["serve", "--config", "/etc/tryggspor/config.toml"]
