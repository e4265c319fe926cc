#!/bin/sh
# Run by the app image's build stage: trusts the CA certificates in this folder (*.crt, *.pem, one or
# many per file) for the rest of that stage. Certificates Debian's store already has are skipped.
# update-ca-certificates adds the others to the system bundle and, through ca-certificates-java, to
# Java's trust store (Maven); npm reads the system bundle through NODE_EXTRA_CA_CERTS.
set -eu
dir=$(dirname "$0")
find "$dir" -type f \( -name '*.crt' -o -name '*.pem' \) -exec cat {} + | tr -d '\r' |
  awk 'FNR == 1 { file++ }
    /-----BEGIN CERTIFICATE-----/ { cert = ""; inside = 1 }
    inside { cert = cert $0 "\n" }
    /-----END CERTIFICATE-----/ {
      inside = 0
      if (file == 1) { known[cert] = 1 }
      else if (!(cert in known)) {
        known[cert] = 1
        n++
        f = sprintf("/usr/local/share/ca-certificates/ffilab-build-%03d.crt", n)
        printf "%s", cert > f
        close(f)
      }
    }
    END { print "build-ca: trusting " n + 0 " extra CA certificate(s) in the build stage" }' \
    /etc/ssl/certs/ca-certificates.crt -
update-ca-certificates >/dev/null
