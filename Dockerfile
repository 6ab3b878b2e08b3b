# The headless audit (npm run audit) in a container: Debian's chromium and firefox-esr from apt,
# the extension built once here, at image build time; the audit itself builds nothing.
#   docker build -t ipvlens-audit .
#   docker run --rm --shm-size=1g -v "$PWD/results:/results" ipvlens-audit --out /results https://example.org
FROM node:20-bookworm-slim

# Browsers and what they need to render pages (fonts) and check certificates; nothing else.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium firefox-esr ca-certificates fonts-liberation fonts-noto-core \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /opt/ipvlens
# Dependencies first, so a source change does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# The browsers run as an unprivileged user (Chromium's sandbox is off in the launcher anyway;
# this keeps a hostile page's exploit away from root).
RUN useradd --create-home --uid 10001 audit && mkdir -p /results && chown audit /results
USER audit
ENV CHROMIUM_PATH=/usr/bin/chromium FIREFOX_PATH=/usr/bin/firefox-esr
ENTRYPOINT ["npm", "run", "--silent", "audit", "--"]
CMD ["--help"]
