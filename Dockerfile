# Multi-stage build: a static binary (modernc SQLite needs no cgo) in a
# distroless image, running as a non-root user.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/tryggspor ./cmd/tryggspor

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/tryggspor /usr/local/bin/tryggspor
USER nonroot:nonroot
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
ENV TRYGGSPOR_DB=/data/tryggspor.db TRYGGSPOR_ADDR=0.0.0.0:8080
ENTRYPOINT ["/usr/local/bin/tryggspor"]
CMD ["serve", "--config", "/etc/tryggspor/config.toml"]
