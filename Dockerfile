# labgate: a build stage with the -dev packages, and a slim runtime stage running as a non-root user.
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake pkg-config libh2o-dev libuv1-dev libssl-dev libjansson-dev libgit2-dev libhiredis-dev \
      libcurl4-openssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY CMakeLists.txt ./
COPY core core
COPY badge badge
COPY gateway gateway
COPY importer importer
COPY runtime runtime
COPY worker worker
COPY cmd cmd
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DLABGATE_TESTS=OFF \
 && cmake --build /build -j"$(nproc)" --target labgate \
 && strip /build/labgate

FROM debian:12-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libh2o0.13 libuv1 libssl3 libjansson4 libgit2-1.5 libhiredis0.14 libcurl4 ca-certificates \
      jupyter-notebook python3-ipykernel \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /var/lib/labgate --shell /usr/sbin/nologin labgate
COPY --from=build /build/labgate /usr/local/bin/labgate
USER labgate
WORKDIR /var/lib/labgate
# Links are built on LABGATE_PUBLIC_URL: set it to the address users reach the container at. The
# gateway listens on all addresses, so people sign in at a reverse proxy that sets X-Forwarded-User
# (auth = header; set LABGATE_TRUSTED_PROXIES to its address), or through a JupyterHub (auth =
# jupyterhub). Projects, mirrors and runtime files live under the labgate user's home: mount a volume
# there to keep them. `labgate worker` runs each user's Jupyter here (runtime = local) or on a hub.
ENV LABGATE_LISTEN=0.0.0.0:8080 \
    LABGATE_PUBLIC_URL=http://localhost:8080 \
    LABGATE_AUTH=header \
    LABGATE_PROJECTS_DIR=/var/lib/labgate/projects \
    LABGATE_CACHE_DIR=/var/lib/labgate/cache \
    LABGATE_RUNTIME_DIR=/var/lib/labgate/runtime
EXPOSE 8080
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/labgate"]
CMD ["gateway"]
