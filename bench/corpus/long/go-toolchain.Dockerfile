# A Go service with a vendored toolchain check, code generation, tests,
# cross-compilation for two architectures and a distroless-style runtime.
ARG GO_VERSION=1.22.4
ARG DEBIAN=bookworm

FROM debian:${DEBIAN}-slim AS toolchain
ARG GO_VERSION
ENV PATH=/usr/local/go/bin:/root/go/bin:$PATH \
    GOTOOLCHAIN=local \
    CGO_ENABLED=0
RUN set -eux; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates curl git make; \
	rm -rf /var/lib/apt/lists/*; \
	arch="$(dpkg --print-architecture)"; arch="${arch##*-}"; \
	url=; \
	case "$arch" in \
		'amd64') url="https://dl.example.invalid/go${GO_VERSION}.linux-amd64.tar.gz" ;; \
		'arm64') url="https://dl.example.invalid/go${GO_VERSION}.linux-arm64.tar.gz" ;; \
		'armhf') url="https://dl.example.invalid/go${GO_VERSION}.linux-armv6l.tar.gz" ;; \
		'i386') url="https://dl.example.invalid/go${GO_VERSION}.linux-386.tar.gz" ;; \
		*) echo >&2 "error: unsupported architecture '$arch' (likely packaging update needed)"; exit 1 ;; \
	esac; \
	curl -fsSL -o go.tgz "$url"; \
	tar -C /usr/local -xzf go.tgz; \
	rm go.tgz; \
	go version; \
	for tool in golang.org/x/tools/cmd/stringer@latest google.golang.org/protobuf/cmd/protoc-gen-go@latest; do \
		GOFLAGS=-mod=mod go install "$tool" || echo "skipping $tool" >&2; \
	done

FROM toolchain AS modules
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/root/go/pkg/mod \
	set -eux; \
	go mod download -x; \
	go mod verify

FROM modules AS generate
COPY . .
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
	set -eux; \
	go generate ./...; \
	if [ -n "$(git status --porcelain 2>/dev/null || true)" ]; then \
		echo "generated files differ:" >&2; \
		git --no-pager diff --stat >&2 || true; \
	fi

FROM generate AS test
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
	set -eux; \
	go vet ./...; \
	go test -count=1 -race=false -timeout=5m ./... 2>&1 | tee /tmp/go-test.log; \
	! grep -q '^FAIL' /tmp/go-test.log

FROM generate AS build-amd64
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
	set -eux; \
	version="$(git describe --tags --always 2>/dev/null || echo dev)"; \
	GOOS=linux GOARCH=amd64 go build \
		-trimpath \
		-ldflags="-s -w -X main.version=${version} -X main.commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)" \
		-o /out/amd64/server ./cmd/server; \
	GOOS=linux GOARCH=amd64 go build -trimpath -ldflags="-s -w" -o /out/amd64/healthcheck ./cmd/healthcheck

FROM generate AS build-arm64
RUN --mount=type=cache,target=/root/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
	set -eux; \
	version="$(git describe --tags --always 2>/dev/null || echo dev)"; \
	GOOS=linux GOARCH=arm64 go build \
		-trimpath \
		-ldflags="-s -w -X main.version=${version}" \
		-o /out/arm64/server ./cmd/server; \
	GOOS=linux GOARCH=arm64 go build -trimpath -ldflags="-s -w" -o /out/arm64/healthcheck ./cmd/healthcheck

FROM debian:${DEBIAN}-slim AS rootfs
RUN set -eux; \
	mkdir -p /rootfs/etc /rootfs/tmp /rootfs/home/nonroot /rootfs/etc/ssl/certs; \
	echo 'root:x:0:0:root:/root:/sbin/nologin' > /rootfs/etc/passwd; \
	echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >> /rootfs/etc/passwd; \
	printf '%s\n' 'root:x:0:' 'nonroot:x:65532:' > /rootfs/etc/group; \
	chmod 1777 /rootfs/tmp; \
	chown 65532:65532 /rootfs/home/nonroot; \
	apt-get update; \
	apt-get install -y --no-install-recommends ca-certificates tzdata; \
	cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
	cp -r /usr/share/zoneinfo /rootfs/usr-share-zoneinfo; \
	rm -rf /var/lib/apt/lists/*

FROM scratch AS runtime
COPY --from=rootfs /rootfs/ /
COPY --from=build-amd64 /out/amd64/ /usr/local/bin/
USER 65532:65532
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=2s CMD ["/usr/local/bin/healthcheck"]
ENTRYPOINT ["/usr/local/bin/server"]
