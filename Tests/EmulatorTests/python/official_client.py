"""Drives the emulator with the official, unchanged ngrok Python client (ngrok-api==0.4.0).

Usage: python3 official_client.py BASE_URL API_KEY

Covers every service 0.4.0 has for the managed resources: credentials, ip_policies,
ip_policy_rules, certificate_authorities, tls_certificates, endpoint_configurations and
their twelve module clients, reserved_domains (with the four detach calls) and
reserved_addrs (with its detach call): create, paginated list, get, update and delete.
0.4.0 has no ip_whitelist service. `Client.pointcfg_module` is broken in 0.4.0
(collections.namedtuple is called with one positional argument per field), so the module
clients are constructed directly from ngrok.services, which is how that property builds them.
Prints "OK <checks>" and exits 0 when every check passes.
"""
import os
import subprocess
import sys
import tempfile

import ngrok
from ngrok.error import Error, NotFoundError
from ngrok import services

CHECKS = 0


def check(condition, what):
    global CHECKS
    CHECKS += 1
    if not condition:
        raise AssertionError(what)


def expect_error(fn, code=None, status=None, not_found=False):
    try:
        fn()
    except NotFoundError as e:
        check(not_found, "unexpected NotFoundError %s" % e.error_code)
        check(e.http_status_code == 404, "404")
        check(e.operation_id and e.operation_id.startswith("op_"), "operation id on 404")
        return e
    except Error as e:
        check(not not_found, "expected NotFoundError, got %s" % e.error_code)
        if code:
            check(e.error_code == code, "expected %s, got %s (%s)" % (code, e.error_code, e))
        if status:
            check(e.http_status_code == status, "status %s" % e.http_status_code)
        check(e.operation_id.startswith("op_"), "operation id")
        return e
    raise AssertionError("expected an error")


def openssl(*args):
    subprocess.run(["openssl"] + list(args), check=True, capture_output=True)


def make_pki(directory):
    ca_key, ca_pem = os.path.join(directory, "ca.key"), os.path.join(directory, "ca.pem")
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", ca_key,
            "-out", ca_pem, "-days", "30", "-subj", "/CN=Python Test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    leaf_key, csr, leaf_pem = (os.path.join(directory, n) for n in ("leaf.key", "leaf.csr", "leaf.pem"))
    openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", leaf_key, "-out", csr,
            "-subj", "/CN=py.example.com/O=Py Org/C=DE")
    ext = os.path.join(directory, "ext.cnf")
    with open(ext, "w") as f:
        f.write("subjectAltName=DNS:py.example.com,DNS:www.py.example.com,IP:192.0.2.1\n"
                "keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial", "-out", leaf_pem,
            "-days", "20", "-extfile", ext)
    read = lambda p: open(p).read()
    return read(ca_pem), read(leaf_pem), read(leaf_key)


def crud_credentials(client):
    created = client.credentials.create(description="py cred", acl=["bind:py.example.com"])
    check(created.id.startswith("cr_"), "credential id")
    check(created.token and created.token.startswith(created.id[3:] + "_"), "token on create")
    check(created.acl == ["bind:py.example.com"], "acl")
    got = client.credentials.get(created.id)
    check(got.token is None, "token only on create")
    check(got.metadata == "", "empty metadata is present")
    updated = client.credentials.update(created.id, metadata='{"k":"v"}', acl=[])
    check(updated.metadata == '{"k":"v"}' and updated.acl == [] and updated.description == "py cred", "update")
    got.update(description="via datatype")
    check(client.credentials.get(created.id).description == "via datatype", "datatype update")
    expect_error(lambda: client.credentials.update(created.id), code="ERR_NGROK_606", status=400)
    expect_error(lambda: client.credentials.create(acl=["nope"]), code="ERR_NGROK_600")
    client.credentials.delete(created.id)
    expect_error(lambda: client.credentials.get(created.id), not_found=True)


def pagination(client):
    ids = [client.credentials.create(description="page %d" % i).id for i in range(130)]
    first = client.credentials.list(limit="50")
    check(len(first.credentials) == 50 and first.next_page_uri is not None, "first page")
    iterated = [c.id for c in client.credentials.list(limit="50")]
    check(iterated == sorted(ids, reverse=True), "iterator follows next_page_uri, newest first")
    default = [c.id for c in client.credentials.list()]
    check(default == iterated, "default limit")
    older = client.credentials.list(before_id=iterated[9], limit="5")
    check([c.id for c in older.credentials] == iterated[10:15], "before_id")
    check(client.credentials.list(before_id=iterated[-1]).credentials == [], "empty after oldest")
    for cid in ids:
        client.credentials.delete(cid)


def crud_ip_policies(client):
    policy = client.ip_policies.create(action="allow", description="office")
    check(policy.action == "allow" and policy.id.startswith("ipp_"), "policy")
    check(client.ip_policies.update(policy.id, metadata="m").metadata == "m", "policy update")
    expect_error(lambda: client.ip_policies.update(policy.id), code="ERR_NGROK_1400")
    rule = client.ip_policy_rules.create(cidr="10.0.0.0/8", ip_policy_id=policy.id, description="lan")
    check(rule.ip_policy.id == policy.id and rule.ip_policy.uri.endswith("/ip_policies/" + policy.id), "rule ref")
    updated = client.ip_policy_rules.update(rule.id, cidr="192.168.0.0/16")
    check(updated.cidr == "192.168.0.0/16" and updated.description == "lan", "rule update")
    expect_error(lambda: client.ip_policy_rules.create(cidr="192.168.0.0/16", ip_policy_id=policy.id), code="ERR_NGROK_1408")
    e = expect_error(lambda: client.ip_policy_rules.create(cidr="10.1.2.3/16", ip_policy_id=policy.id), code="ERR_NGROK_1409")
    check("10.1.0.0/16" in str(e.args), "1409 suggestion")
    check([r.id for r in client.ip_policy_rules.list()] == [rule.id], "rules list")
    check(client.ip_policy_rules.get(rule.id).cidr == "192.168.0.0/16", "rule get")
    return policy, rule


def crud_certificates(client, ca_pem, leaf_pem, leaf_key):
    ca = client.certificate_authorities.create(ca_pem=ca_pem.strip(), description="py ca")
    check(ca.ca_pem.endswith("\n") and ca.subject_common_name == "Python Test CA", "ca fields")
    check("cert_sign" in ca.key_usages and ca.extended_key_usages == [], "ca usages")
    check(client.certificate_authorities.update(ca.id, metadata="x").metadata == "x", "ca update")
    check([c.id for c in client.certificate_authorities.list()] == [ca.id], "ca list")
    cert = client.tls_certificates.create(certificate_pem=leaf_pem, private_key_pem=leaf_key)
    check("private_key_pem" not in cert._props, "private key never returned")
    check(cert.private_key_type == "rsa", "rsa key type")
    check(cert.subject_common_name == "py.example.com" and cert.subject_country == "DE", "subject")
    check(cert.subject_organization == "Py Org" and cert.issuer_common_name == "Python Test CA", "org/issuer")
    check(cert.subject_alternative_names.dns_names == ["py.example.com", "www.py.example.com"], "sans")
    check(cert.subject_alternative_names.ips == ["192.0.2.1"], "ip sans")
    check(cert.issued_at is None and cert.serial_number == cert.serial_number.lower(), "issued_at/serial")
    check(client.tls_certificates.update(cert.id, description="d").description == "d", "cert update")
    check(client.tls_certificates.get(cert.id).not_after.endswith("Z"), "cert get")
    check([c.id for c in client.tls_certificates.list()] == [cert.id], "cert list")
    return ca, cert


MODULES = {
    "circuit_breaker": ({"tripped_duration": 10, "rolling_window": 60, "num_buckets": 10, "volume_threshold": 5,
                         "error_threshold_percentage": 0.5}, lambda m: m.num_buckets == 10 and m.error_threshold_percentage == 0.5),
    "compression": ({"enabled": True}, lambda m: m.enabled is True),
    "request_headers": ({"add": {"X-Py": "1"}, "remove": ["Cookie"]}, lambda m: m.add == {"x-py": "1"} and m.remove == ["cookie"]),
    "response_headers": ({"add": {"Strict-Transport-Security": "max-age=60"}},
                         lambda m: m.add == {"strict-transport-security": "max-age=60"} and m.remove == []),
    "ip_policy": (None, None),
    "mutual_tls": (None, None),
    "tls_termination": ({"terminate_at": "edge", "min_version": "1.3"}, lambda m: m.terminate_at == "edge" and m.min_version == "1.3"),
    "webhook_validation": ({"provider": "SLACK", "secret": "shh"}, lambda m: m.provider == "SLACK" and m.secret == "shh"),
    "oauth": ({"provider": {"github": {"client_id": "cid", "client_secret": "cs", "scopes": ["read:user", "read:org"], "teams": ["org/team"],
                                       "organizations": ["org"]}}, "auth_check_interval": 300},
              lambda m: m.provider.github.client_id == "cid" and m.provider.google is None and m.cookie_prefix == "ngrok."
              and m.provider.github.teams == ["org/team"]),
    "logging": ({"event_stream_ids": ["es_1ro7aBEJQkcfUBNX1r3IBSqjDU8"]},
                lambda m: m.event_streams[0].id == "es_1ro7aBEJQkcfUBNX1r3IBSqjDU8"),
    "saml": ({"idp_metadata": "<EntityDescriptor entityID='https://idp.example.com'/>", "authorized_groups": ["eng"]},
             lambda m: m.allow_idp_initiated is True and m.entity_id.endswith("/acs") is False
             and m.assertion_consumer_service_url.endswith("/acs") and m.request_signing_certificate_pem.startswith("-----BEGIN")),
    "oidc": ({"issuer": "https://accounts.google.com", "client_id": "a", "client_secret": "b", "scopes": ["openid"]},
             lambda m: m.issuer == "https://accounts.google.com" and m.client_secret == "b"),
}

MODULE_CLIENTS = {
    "logging": services.EndpointLoggingModuleClient, "circuit_breaker": services.EndpointCircuitBreakerModuleClient,
    "compression": services.EndpointCompressionModuleClient, "tls_termination": services.EndpointTLSTerminationModuleClient,
    "ip_policy": services.EndpointIPPolicyModuleClient, "mutual_tls": services.EndpointMutualTLSModuleClient,
    "request_headers": services.EndpointRequestHeadersModuleClient,
    "response_headers": services.EndpointResponseHeadersModuleClient, "oauth": services.EndpointOAuthModuleClient,
    "webhook_validation": services.EndpointWebhookValidationModuleClient, "saml": services.EndpointSAMLModuleClient,
    "oidc": services.EndpointOIDCModuleClient,
}


def crud_endpoint_configurations(client, policy, ca):
    MODULES["ip_policy"] = ({"ip_policy_ids": [policy.id]}, lambda m: [r.id for r in m.ip_policies] == [policy.id])
    MODULES["mutual_tls"] = ({"certificate_authority_ids": [ca.id]},
                             lambda m: [r.id for r in m.certificate_authorities] == [ca.id])
    ec = client.endpoint_configurations.create(
        type="https", description="py ec", request_headers={"add": {"X-A": "b"}},
        ip_policy={"ip_policy_ids": [policy.id]})
    check(ec.request_headers.add == {"x-a": "b"} and ec.ip_policy.ip_policies[0].id == policy.id, "ec create")
    for key in ("circuit_breaker", "logging", "saml", "oidc", "oauth", "mutual_tls"):
        check(getattr(ec, key) is None, "null module %s" % key)
    updated = client.endpoint_configurations.update(ec.id, compression={"enabled": False}, description="patched")
    check(updated.compression.enabled is False and updated.request_headers.add == {"x-a": "b"}, "patch keeps others")
    check(updated.description == "patched", "patch description")
    for name, (body, ok) in MODULES.items():
        module_client = MODULE_CLIENTS[name](client)
        replaced = module_client.replace(ec.id, module=body)
        check(ok(replaced), "%s replace: %s" % (name, replaced._props))
        fetched = module_client.get(ec.id)
        check(ok(fetched), "%s get" % name)
        if name in ("oauth", "saml", "oidc"):
            module_client.delete(ec.id)  # only one authentication module at a time
            expect_error(lambda: module_client.get(ec.id), not_found=True)
    full = client.endpoint_configurations.get(ec.id)
    check(full.webhook_validation.secret == "shh" and full.logging.enabled is True, "embedded modules")
    for name in MODULES:
        if name not in ("oauth", "saml", "oidc"):
            MODULE_CLIENTS[name](client).delete(ec.id)
    full = client.endpoint_configurations.get(ec.id)
    for name in MODULES:
        check(getattr(full, name) is None, "%s deleted" % name)
    expect_error(lambda: client.endpoint_configurations.create(type="tcp", compression={}), code="ERR_NGROK_1621")
    expect_error(lambda: client.endpoint_configurations.create(), code="ERR_NGROK_1620")
    http = client.endpoint_configurations.create(type="http")
    tcp = client.endpoint_configurations.create(type="tcp", ip_policy={"ip_policy_ids": [policy.id]})
    check([e.id for e in client.endpoint_configurations.list()] == [tcp.id, http.id, ec.id], "ec list newest first")
    return ec, http, tcp


def crud_reserved(client, https_ec, http_ec, tcp_ec, cert):
    label = client.reserved_domains.create(name="pyapp", description="label")
    check(label.domain == "pyapp.ngrok.io" and label.region == "us" and label.cname_target is None, "label domain")
    custom = client.reserved_domains.create(
        name="py.example.com", region="eu", http_endpoint_configuration_id=http_ec.id,
        https_endpoint_configuration_id=https_ec.id, certificate_id=cert.id)
    check(custom.cname_target and custom.http_endpoint_configuration.id == http_ec.id, "custom domain")
    check(custom.certificate.id == cert.id and custom.certificate_management_policy is None, "cert attached")
    check(custom.acme_challenge_cname_target is None, "no acme target")
    expect_error(lambda: client.reserved_domains.update(custom.id), code="ERR_NGROK_422")
    expect_error(lambda: client.endpoint_configurations.delete(http_ec.id), code="ERR_NGROK_1619")
    client.reserved_domains.delete_http_endpoint_config(custom.id)
    client.reserved_domains.delete_https_endpoint_config(custom.id)
    client.reserved_domains.delete_certificate(custom.id)
    got = client.reserved_domains.get(custom.id)
    check(got.http_endpoint_configuration is None and got.https_endpoint_configuration is None, "detached ecs")
    check(got.certificate is None, "detached cert")
    managed = client.reserved_domains.update(custom.id, certificate_management_policy={"authority": "letsencrypt",
                                                                                      "private_key_type": "ecdsa"})
    check(managed.certificate_management_policy.private_key_type == "ecdsa", "policy")
    check(managed.certificate_management_status.provisioning_job is not None, "status")
    expect_error(lambda: client.reserved_domains.delete_certificate(custom.id), code="ERR_NGROK_436")
    client.reserved_domains.delete_certificate_management_policy(custom.id)
    check(client.reserved_domains.get(custom.id).certificate_management_policy is None, "policy detached")
    wildcard = client.reserved_domains.create(name="*.py.example.org")
    check(wildcard.acme_challenge_cname_target is not None, "acme target")
    check([d.id for d in client.reserved_domains.list()] == [wildcard.id, custom.id, label.id], "domains list")
    for d in (wildcard, custom, label):
        client.reserved_domains.delete(d.id)

    addr = client.reserved_addrs.create(description="ssh", endpoint_configuration_id=tcp_ec.id)
    check(addr.addr.startswith("1.tcp.ngrok.io:") and addr.region == "us", "addr")
    check(addr.endpoint_configuration.id == tcp_ec.id, "addr ec")
    expect_error(lambda: client.reserved_addrs.update(addr.id), code="ERR_NGROK_506")
    expect_error(lambda: client.reserved_addrs.update(addr.id, endpoint_configuration_id=http_ec.id), code="ERR_NGROK_507")
    check(client.reserved_addrs.update(addr.id, description="new").description == "new", "addr update")
    client.reserved_addrs.delete_endpoint_config(addr.id)
    check(client.reserved_addrs.get(addr.id).endpoint_configuration is None, "addr detached")
    eu = client.reserved_addrs.create(region="eu")
    check(".tcp.eu.ngrok.io:" in eu.addr, "eu addr")
    check([a.id for a in client.reserved_addrs.list()] == [eu.id, addr.id], "addrs list")
    client.reserved_addrs.delete(eu.id)
    addr.delete()
    expect_error(lambda: client.reserved_addrs.get(addr.id), not_found=True)


def main():
    base_url, api_key = sys.argv[1], sys.argv[2]
    client = ngrok.Client(api_key, base_url=base_url)
    expect_error(lambda: ngrok.Client("wrong-key", base_url=base_url).credentials.list(), code="ERR_NGROK_203", status=401)
    with tempfile.TemporaryDirectory() as directory:
        ca_pem, leaf_pem, leaf_key = make_pki(directory)
    crud_credentials(client)
    pagination(client)
    policy, rule = crud_ip_policies(client)
    ca, cert = crud_certificates(client, ca_pem, leaf_pem, leaf_key)
    ec, http_ec, tcp_ec = crud_endpoint_configurations(client, policy, ca)
    crud_reserved(client, ec, http_ec, tcp_ec, cert)
    for e in (ec, http_ec, tcp_ec):
        client.endpoint_configurations.delete(e.id)
    client.tls_certificates.delete(cert.id)
    client.certificate_authorities.delete(ca.id)
    client.ip_policy_rules.delete(rule.id)
    client.ip_policies.delete(policy.id)
    for listing in (client.credentials.list(), client.ip_policies.list(), client.ip_policy_rules.list(),
                    client.endpoint_configurations.list(), client.certificate_authorities.list(),
                    client.tls_certificates.list(), client.reserved_domains.list(), client.reserved_addrs.list()):
        check(list(listing) == [], "everything deleted")
    print("OK %d" % CHECKS)


if __name__ == "__main__":
    main()
