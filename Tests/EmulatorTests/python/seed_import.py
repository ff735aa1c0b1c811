"""Seeds an account for the `ngrokctl import` round trip with the official, unchanged Python client
(ngrok-api==0.4.0): every kind and every module ngrokctl manages, objects of another stack, and
hostile descriptions (quotes, newlines, unicode, names that collide).

Usage: python3 seed_import.py BASE_URL API_KEY WORKDIR
Writes WORKDIR/leaf.key (the TLS private key, for the round trip's secret) and prints "SEEDED <n>".
0.4.0 has no ip_whitelist service: whitelist entries are posted with the client's own HTTP client.
"""
import os
import subprocess
import sys

import ngrok

OTHER = '{"ngrokctl":{"ref":"%s","stack":"other-team"}}'


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, capture_output=True)


def make_pki(directory):
    ca_key, ca_pem = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key,
            "-out", ca_pem, "-days", "30", "-subj", "/CN=Import Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    leaf_key, csr, leaf_pem = (os.path.join(directory, n) for n in ("leaf.key", "leaf.csr", "leaf.pem"))
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf_key, "-out", csr,
            "-subj", "/CN=shop.example.com")
    ext = os.path.join(directory, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:shop.example.com\nkeyUsage=digitalSignature,keyEncipherment\n"
                "extendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial", "-out", leaf_pem,
            "-days", "20", "-extfile", ext)
    read = lambda p: open(p).read()
    return read(ca_pem), read(leaf_pem), read(leaf_key)


def main():
    base_url, api_key, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
    client = ngrok.Client(api_key, base_url=base_url)
    n = 0

    def count(obj):
        nonlocal n
        n += 1
        return obj

    hostile = 'Office "HQ" \\ it\'s: #1\nsecond line ✓ — Zürich 東京'
    # Credentials: hostile descriptions, colliding names, an empty ACL (binds anything), another stack's.
    count(client.credentials.create(description=hostile, acl=["bind:*.sensors.example.com", "bind:gw.example.com"]))
    count(client.credentials.create(description=hostile, acl=["bind:1.tcp.ngrok.io:20002"]))
    count(client.credentials.create(description="", acl=[]))
    count(client.credentials.create(description="yes", metadata="no", acl=["*"]))
    count(client.credentials.create(description="theirs", metadata=OTHER % "Credential/theirs", acl=["*"]))

    # IP policies with rules (IPv4 and IPv6, deny, empty), colliding descriptions, another stack's.
    office = count(client.ip_policies.create(action="allow", description="office"))
    count(client.ip_policy_rules.create(cidr="203.0.113.0/24", ip_policy_id=office.id, description="Paris \"main\""))
    count(client.ip_policy_rules.create(cidr="2001:db8:1234::/48", ip_policy_id=office.id, metadata="v6"))
    office2 = count(client.ip_policies.create(action="allow", description="Office"))
    count(client.ip_policy_rules.create(cidr="198.51.100.17/32", ip_policy_id=office2.id))
    abusers = count(client.ip_policies.create(action="deny", description="known abusers", metadata="ticket SEC-1"))
    count(client.ip_policy_rules.create(cidr="100.64.0.0/10", ip_policy_id=abusers.id))
    count(client.ip_policies.create(action="allow", description=""))
    theirs = count(client.ip_policies.create(action="allow", description="theirs", metadata=OTHER % "IPPolicy/theirs"))
    count(client.ip_policy_rules.create(cidr="192.0.2.0/24", ip_policy_id=theirs.id))

    # IP whitelist: no service in 0.4.0, so through the client's HTTP session.
    for body in ({"ip_net": "203.0.113.0/24", "description": "HQ"}, {"ip_net": "2001:db8::/32"}):
        created = client.http_client.post("/ip_whitelist", body)
        assert created["id"].startswith("wl_"), created
        n += 1

    ca_pem, leaf_pem, leaf_key = make_pki(workdir)
    ca = count(client.certificate_authorities.create(ca_pem=ca_pem, description="device CA ✓"))
    cert = count(client.tls_certificates.create(certificate_pem=leaf_pem, private_key_pem=leaf_key, description="shop"))

    # Endpoint configurations: every module.
    https = count(client.endpoint_configurations.create(
        type="https", description="shop https",
        circuit_breaker={"tripped_duration": 30, "rolling_window": 60, "num_buckets": 10, "volume_threshold": 20,
                         "error_threshold_percentage": 0.5},
        compression={"enabled": True},
        request_headers={"add": {"X-Request-Id": "${.ngrok.request_id}"}, "remove": ["X-Internal"]},
        response_headers={"add": {"Strict-Transport-Security": "max-age=60"}},
        ip_policy={"ip_policy_ids": [office.id, abusers.id]},
        mutual_tls={"certificate_authority_ids": [ca.id]},
        tls_termination={"terminate_at": "edge", "min_version": "1.2"},
        webhook_validation={"provider": "GITHUB", "secret": "webhook-secret-value"},
        oauth={"provider": {"google": {"client_id": "cid.apps.googleusercontent.com",
                                       "client_secret": "oauth-secret-value", "scopes": ["openid", "email", "profile"],
                                       "email_domains": ["example.com"]}},
               "cookie_prefix": "shop.", "inactivity_timeout": 3600, "auth_check_interval": 300}))
    oidc = count(client.endpoint_configurations.create(
        type="https", description="admin",
        oidc={"issuer": "https://login.example.com", "client_id": "admin", "client_secret": "oidc-secret-value",
              "scopes": ["openid"], "options_passthrough": True, "maximum_duration": 28800}))
    saml = count(client.endpoint_configurations.create(
        type="https", description="admin",  # collides with the previous one
        saml={"idp_metadata_url": "https://idp.example.com/metadata.xml", "authorized_groups": ["eng"],
              "allow_idp_initiated": False, "cookie_prefix": "wiki"}))
    saml_inline = count(client.endpoint_configurations.create(
        type="https", description="wiki inline",
        saml={"idp_metadata": "<EntityDescriptor entityID='https://idp.example.com'/>", "force_authn": True}))
    hooks = count(client.endpoint_configurations.create(
        type="https", description="sns hooks", webhook_validation={"provider": "SNS"},
        response_headers={"enabled": False, "remove": ["Server"]}))
    http = count(client.endpoint_configurations.create(type="http", description="", ip_policy={"ip_policy_ids": [office2.id]}))
    tcp = count(client.endpoint_configurations.create(type="tcp", description="ssh", ip_policy={"ip_policy_ids": [office.id]}))
    # Another stack's configuration, and one of ours using another stack's policy (cannot be imported).
    count(client.endpoint_configurations.create(type="https", description="theirs", metadata=OTHER % "EndpointConfiguration/theirs"))
    uses_theirs = count(client.endpoint_configurations.create(
        type="https", description="uses theirs", ip_policy={"ip_policy_ids": [theirs.id]}))

    # Reserved domains and addresses.
    count(client.reserved_domains.create(
        name="shop.example.com", region="eu", description=hostile, http_endpoint_configuration_id=http.id,
        https_endpoint_configuration_id=https.id, certificate_id=cert.id))
    count(client.reserved_domains.create(
        name="admin.example.com", https_endpoint_configuration_id=oidc.id,
        certificate_management_policy={"authority": "letsencrypt", "private_key_type": "ecdsa"}))
    count(client.reserved_domains.create(name="wiki.example.com", https_endpoint_configuration_id=saml.id))
    count(client.reserved_domains.create(name="docs.example.com", https_endpoint_configuration_id=saml_inline.id))
    count(client.reserved_domains.create(name="hooks.example.com", https_endpoint_configuration_id=hooks.id))
    count(client.reserved_domains.create(name="pyshop", description="label"))
    count(client.reserved_domains.create(name="*.devices.example.com"))
    count(client.reserved_domains.create(name="theirs.example.com", metadata=OTHER % "ReservedDomain/theirs"))
    count(client.reserved_domains.create(name="legacy.example.com", https_endpoint_configuration_id=uses_theirs.id))
    count(client.reserved_addrs.create(description="ssh bastion", endpoint_configuration_id=tcp.id))
    count(client.reserved_addrs.create(description="", region="eu"))
    print("SEEDED %d" % n)


if __name__ == "__main__":
    main()
