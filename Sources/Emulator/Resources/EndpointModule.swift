import Crypto
import Foundation
import NgrokModel
import SwiftASN1
import X509

/// The modules of an endpoint configuration, in the API's response key order. Each parses its
/// request (mutate) shape into a stored form and renders the response shape (IDs become refs).
enum EndpointModule: String, CaseIterable, Sendable {
    case basicAuth = "basic_auth"
    case circuitBreaker = "circuit_breaker"
    case compression
    case requestHeaders = "request_headers"
    case responseHeaders = "response_headers"
    case ipPolicy = "ip_policy"
    case mutualTLS = "mutual_tls"
    case tlsTermination = "tls_termination"
    case webhookValidation = "webhook_validation"
    case oauth
    case logging
    case saml
    case oidc
    case backend

    /// Configuration types the module may be added to (DESIGN §5; shared model's matrix).
    var supportedTypes: Set<String> {
        if let shared = ModuleName(apiName: rawValue) { return Set(shared.supportedTypes.map(\.rawValue)) }
        switch self {
        case .logging, .backend: return ["http", "https", "tcp"]
        case .basicAuth: return ["http", "https"]
        default: return ["http", "https"]
        }
    }

    var requestFields: [String] {
        switch self {
        case .basicAuth: ["enabled", "auth_provider_id", "realm", "allow_options"]
        case .circuitBreaker:
            [
                "enabled", "tripped_duration", "rolling_window", "num_buckets", "volume_threshold",
                "error_threshold_percentage",
            ]
        case .compression: ["enabled"]
        case .requestHeaders, .responseHeaders: ["enabled", "add", "remove"]
        case .ipPolicy: ["enabled", "ip_policy_ids"]
        case .mutualTLS: ["enabled", "certificate_authority_ids"]
        case .tlsTermination: ["enabled", "terminate_at", "min_version"]
        case .webhookValidation: ["enabled", "provider", "secret"]
        case .oauth:
            [
                "enabled", "provider", "options_passthrough", "cookie_prefix", "inactivity_timeout", "maximum_duration",
                "auth_check_interval",
            ]
        case .logging: ["enabled", "event_stream_ids"]
        case .saml:
            [
                "enabled", "options_passthrough", "cookie_prefix", "inactivity_timeout", "maximum_duration",
                "idp_metadata", "idp_metadata_url", "force_authn", "allow_idp_initiated", "authorized_groups",
                "nameid_format",
            ]
        case .oidc:
            [
                "enabled", "options_passthrough", "cookie_prefix", "inactivity_timeout", "maximum_duration", "issuer",
                "client_id", "client_secret", "scopes",
            ]
        case .backend: ["enabled", "backend_id"]
        }
    }

    static let oneYear: Int64 = 365 * 24 * 3600
    static let nameIDFormats = [
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ]

    /// Parses a module request body into its stored form.
    func parse(_ json: JSON, ecID: String, ctx: APIContext, _ tx: StoreTransaction) throws -> JSONObject {
        let body = try RequestBody(json, allowed: requestFields, path: rawValue)
        var out = JSONObject()
        out["enabled"] = .bool(try body.bool("enabled") ?? true)
        switch self {
        case .basicAuth:
            let provider = try body.string("auth_provider_id") ?? "agent"
            guard provider.isEmpty || provider == "agent" else {
                throw APIError.badRequest(1612, "The basic_auth auth provider must be 'agent'.")
            }
            out["auth_provider_id"] = .string(provider.isEmpty ? "agent" : provider)
            out["realm"] = .string(try body.string("realm") ?? "")
            out["allow_options"] = .bool(try body.bool("allow_options") ?? false)

        case .circuitBreaker:
            let threshold = try body.double("error_threshold_percentage") ?? 0
            guard (0...1).contains(threshold) else {
                throw APIError.badRequest(
                    1611, "The circuit breaker error threshold percentage must be between 0.0 and 1.0 inclusive (a fraction, not a percentage).")
            }
            let buckets = try body.uint32("num_buckets") ?? 0
            guard buckets <= 128 else {
                throw APIError.badRequest(1618, "The circuit breaker num_buckets must be greater than 0 and at most 128.")
            }
            out["tripped_duration"] = .int(try body.uint32("tripped_duration") ?? 0)
            out["rolling_window"] = .int(try body.uint32("rolling_window") ?? 0)
            out["num_buckets"] = .int(buckets)
            out["volume_threshold"] = .int(try body.uint32("volume_threshold") ?? 0)
            out["error_threshold_percentage"] = .double(threshold)

        case .compression:
            break

        case .requestHeaders, .responseHeaders:
            var add = JSONObject()
            for (name, value) in try body.stringMap("add") ?? [] {
                guard ProductRules.isValidHeaderName(name) else {
                    throw APIError.badRequest(1623, "Invalid header name '\(name)'.")
                }
                guard name.utf8.count <= 128 else {
                    throw APIError.badRequest(1697, "Header names may be at most 128 bytes ('\(name.prefix(32))…').")
                }
                guard ProductRules.isValidHeaderValue(value) else {
                    throw APIError.badRequest(1624, "Invalid value for header '\(name)'.")
                }
                guard value.utf8.count <= 1024 else {
                    throw APIError.badRequest(1698, "The value of header '\(name)' may be at most 1024 bytes.")
                }
                let lower = name.lowercased()
                if add[lower] != nil {
                    throw APIError.badRequest(
                        1669, "The header '\(name)' is added more than once (header names are case-insensitive).")
                }
                add[lower] = .string(value)
            }
            var remove: [String] = []
            for name in try body.strings("remove") ?? [] {
                guard ProductRules.isValidHeaderName(name) else {
                    throw APIError.badRequest(1623, "Invalid header name '\(name)'.")
                }
                remove.append(name.lowercased())
            }
            out["add"] = .object(add)
            out["remove"] = .strings(remove)

        case .ipPolicy:
            let ids = try body.strings("ip_policy_ids") ?? []
            guard !ids.isEmpty else {
                throw APIError.badRequest(1625, "The ip_policy module requires at least one IP policy.")
            }
            for id in ids {
                _ = try IDCheck.referenced(
                    id, prefix: "ipp", collection: "ip_policies", field: "ip_policy.ip_policy_ids", code: 1607,
                    what: "IP policy", tx)
            }
            out["ip_policy_ids"] = .strings(ids)

        case .mutualTLS:
            let ids = try body.strings("certificate_authority_ids") ?? []
            for id in ids {
                _ = try IDCheck.referenced(
                    id, prefix: "ca", collection: "certificate_authorities",
                    field: "mutual_tls.certificate_authority_ids", code: 1672, what: "certificate authority", tx)
            }
            out["certificate_authority_ids"] = .strings(ids)

        case .tlsTermination:
            let terminateAt = try body.string("terminate_at") ?? "edge"
            guard ["edge", "upstream", ""].contains(terminateAt) else {
                throw APIError.badRequest(224, "terminate_at must be 'edge' or 'upstream', got '\(terminateAt)'.")
            }
            let minVersion = try body.string("min_version")
            if let minVersion, !["1.0", "1.1", "1.2", "1.3"].contains(minVersion) {
                throw APIError.badRequest(219, "Unsupported minimum TLS version '\(minVersion)' (1.0, 1.1, 1.2 or 1.3).")
            }
            if terminateAt == "upstream", minVersion != nil {
                throw APIError.badRequest(
                    1632, "TLS termination parameters (min_version) are not allowed when TLS is not terminated at the edge.")
            }
            out["terminate_at"] = .string(terminateAt.isEmpty ? "edge" : terminateAt)
            out["min_version"] = .optionalString(minVersion)

        case .webhookValidation:
            guard let provider = try body.string("provider"), !provider.isEmpty else {
                throw APIError.badRequest(1629, "The webhook_validation module requires a provider.")
            }
            let providers = WebhookValidationModule.providers
            guard providers.contains(provider) else {
                throw APIError.badRequest(
                    1630, "Unknown webhook provider '\(provider)'. Supported: \(providers.joined(separator: ", ")).")
            }
            let secret = try body.string("secret") ?? ""
            if provider == "SNS", !secret.isEmpty {
                throw APIError.badRequest(1626, "The SNS webhook provider does not take a secret.")
            }
            if provider != "SNS", secret.isEmpty {
                throw APIError.badRequest(1627, "The webhook provider \(provider) requires a secret.")
            }
            out["provider"] = .string(provider)
            out["secret"] = .string(secret)

        case .oauth:
            out["provider"] = try Self.oauthProvider(body)
            try Self.sessionFields(body, into: &out, defaultCookiePrefix: "ngrok.")
            let interval = try body.uint32("auth_check_interval") ?? 0
            if interval > 0, interval < 180 {
                throw APIError.badRequest(1635, "auth_check_interval must be at least 180 seconds (3 minutes).")
            }
            out["auth_check_interval"] = .int(interval)

        case .logging:
            let ids = try body.strings("event_stream_ids") ?? []
            for id in ids { try IDCheck.check(id, prefix: "es", field: "logging.event_stream_ids") }
            out["event_stream_ids"] = .strings(ids)

        case .saml:
            try Self.sessionFields(body, into: &out, defaultCookiePrefix: "")
            let metadata = try body.string("idp_metadata") ?? ""
            let metadataURL = try body.string("idp_metadata_url") ?? ""
            if !metadata.isEmpty, !metadataURL.isEmpty {
                throw APIError.badRequest(1681, "Only one of idp_metadata and idp_metadata_url may be specified.")
            }
            if metadata.isEmpty, metadataURL.isEmpty {
                throw APIError.badRequest(1691, "The saml module requires idp_metadata or idp_metadata_url.")
            }
            if metadata.utf8.count > 100_000 {
                throw APIError.badRequest(1680, "The SAML IdP metadata is too large.")
            }
            if !metadata.isEmpty, !metadata.contains("EntityDescriptor") {
                throw APIError.badRequest(1683, "The SAML IdP metadata could not be parsed: no EntityDescriptor found.")
            }
            if !metadataURL.isEmpty, URL(string: metadataURL)?.scheme?.hasPrefix("http") != true {
                throw APIError.badRequest(1682, "The SAML IdP metadata URL '\(metadataURL)' is not a valid http(s) URL.")
            }
            let format = try body.string("nameid_format") ?? ""
            if !format.isEmpty, !Self.nameIDFormats.contains(format) {
                throw APIError.badRequest(1693, "Unsupported SAML nameid format '\(format)'.")
            }
            out["idp_metadata"] = .string(metadata)
            out["idp_metadata_url"] = .string(metadataURL)
            out["force_authn"] = .bool(try body.bool("force_authn") ?? false)
            out["allow_idp_initiated"] = .bool(try body.bool("allow_idp_initiated") ?? true)
            out["authorized_groups"] = .strings(try body.strings("authorized_groups") ?? [])
            out["nameid_format"] = .string(format.isEmpty ? Self.nameIDFormats[0] : format)

        case .oidc:
            try Self.sessionFields(body, into: &out, defaultCookiePrefix: "")
            guard let issuer = try body.string("issuer"), !issuer.isEmpty else {
                throw APIError.badRequest(1688, "The oidc module requires an issuer.")
            }
            guard issuer.utf8.count <= 255 else {
                throw APIError.badRequest(1687, "The OIDC issuer may be at most 255 bytes.")
            }
            guard let clientID = try body.string("client_id"), !clientID.isEmpty else {
                throw APIError.badRequest(1689, "The oidc module requires a client_id.")
            }
            guard let clientSecret = try body.string("client_secret"), !clientSecret.isEmpty else {
                throw APIError.badRequest(1690, "The oidc module requires a client_secret.")
            }
            out["issuer"] = .string(issuer)
            out["client_id"] = .string(clientID)
            out["client_secret"] = .string(clientSecret)
            out["scopes"] = .strings(try body.strings("scopes") ?? [])

        case .backend:
            out["backend_id"] = .optionalString(try body.string("backend_id"))
        }
        return out
    }

    /// options_passthrough, cookie_prefix, inactivity_timeout, maximum_duration.
    static func sessionFields(_ body: RequestBody, into out: inout JSONObject, defaultCookiePrefix: String) throws(APIError)
    {
        out["options_passthrough"] = .bool(try body.bool("options_passthrough") ?? false)
        let prefix = try body.string("cookie_prefix") ?? ""
        guard ProductRules.isValidCookiePrefix(prefix) else {
            throw APIError.badRequest(1642, "The cookie prefix '\(prefix)' may contain only letters, digits and periods.")
        }
        out["cookie_prefix"] = .string(prefix.isEmpty ? defaultCookiePrefix : prefix)
        let inactivity = try body.uint32("inactivity_timeout") ?? 0
        guard inactivity <= oneYear else {
            throw APIError.badRequest(1692, "The inactivity timeout may be at most one year.")
        }
        out["inactivity_timeout"] = .int(inactivity)
        out["maximum_duration"] = .int(try body.uint32("maximum_duration") ?? 0)
    }

    static let oauthProviders = ["github", "facebook", "microsoft", "google"]

    static func oauthProvider(_ body: RequestBody) throws(APIError) -> JSON {
        guard let provider = try body.object("provider", allowed: oauthProviders) else {
            throw APIError.badRequest(1637, "The oauth module requires exactly one provider.")
        }
        let given = oauthProviders.filter { provider.has($0) }
        if given.isEmpty { throw APIError.badRequest(1637, "The oauth module requires exactly one provider.") }
        if given.count > 1 {
            throw APIError.badRequest(1636, "Only one OAuth provider may be specified, found \(given.joined(separator: ", ")).")
        }
        var out = JSONObject()
        for name in oauthProviders {
            guard name == given[0] else {
                out[name] = .null
                continue
            }
            var fields = ["client_id", "client_secret", "scopes", "email_addresses", "email_domains"]
            if name == "github" { fields += ["teams", "organizations"] }
            let p = try provider.object(name, allowed: fields)!
            let clientID = try p.string("client_id").flatMap { $0.isEmpty ? nil : $0 }
            let clientSecret = try p.string("client_secret").flatMap { $0.isEmpty ? nil : $0 }
            if (clientID == nil) != (clientSecret == nil) {
                throw APIError.badRequest(
                    1633, "An OAuth application of your own needs both a client_id and a client_secret.")
            }
            let scopes = try p.strings("scopes") ?? []
            if clientID == nil, !scopes.isEmpty {
                throw APIError.badRequest(
                    1634, "Custom scopes are only allowed with your own OAuth application (set client_id and client_secret).")
            }
            let emails = try p.strings("email_addresses") ?? []
            let domains = try p.strings("email_domains") ?? []
            try checkList(emails, what: "email address", lowerCode: 1667, duplicateCode: 1646, emptyCode: 1651)
            try checkList(domains, what: "email domain", lowerCode: 1668, duplicateCode: 1647, emptyCode: 1652)
            for email in emails where !email.contains("@") {
                throw APIError.badRequest(1643, "Invalid email address '\(email)'.")
            }
            for domain in domains where domain.contains("@") || !domain.contains(".") {
                throw APIError.badRequest(1639, "Invalid email domain '\(domain)'.")
            }
            var entry = JSONObject()
            entry["client_id"] = .optionalString(clientID)
            entry["client_secret"] = .optionalString(clientSecret)
            entry["scopes"] = .strings(scopes)
            entry["email_addresses"] = .strings(emails)
            entry["email_domains"] = .strings(domains)
            if name == "github" {
                let teams = try p.strings("teams") ?? []
                for team in teams {
                    let parts = team.split(separator: "/", omittingEmptySubsequences: false)
                    guard team.allSatisfy(\.isNumber) || (parts.count == 2 && parts.allSatisfy { !$0.isEmpty }) else {
                        throw APIError.badRequest(
                            1640, "GitHub teams must be numeric ids or 'org_slug/team_slug', got '\(team)'.")
                    }
                }
                entry["teams"] = .strings(teams)
                entry["organizations"] = .strings(try p.strings("organizations") ?? [])
            }
            out[name] = .object(entry)
        }
        return .object(out)
    }

    static func checkList(_ values: [String], what: String, lowerCode: Int, duplicateCode: Int, emptyCode: Int)
        throws(APIError)
    {
        var seen = Set<String>()
        for value in values {
            if value.isEmpty { throw APIError.badRequest(emptyCode, "An \(what) may not be empty.") }
            if value != value.lowercased() {
                throw APIError.badRequest(lowerCode, "The \(what) '\(value)' must be lower-case.")
            }
            if !seen.insert(value).inserted {
                throw APIError.badRequest(duplicateCode, "The \(what) '\(value)' is listed more than once.")
            }
        }
    }

    /// The response shape of a stored module.
    func render(_ stored: JSON, ecID: String, samlSigningPEM: String?, _ ctx: APIContext) -> JSON {
        guard case .object(let module) = stored else { return .null }
        var out = JSONObject()
        switch self {
        case .ipPolicy:
            out["enabled"] = module["enabled"] ?? true
            out["ip_policies"] = ctx.refs(
                "ip_policies", module["ip_policy_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .mutualTLS:
            out["enabled"] = module["enabled"] ?? true
            out["certificate_authorities"] = ctx.refs(
                "certificate_authorities", module["certificate_authority_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .logging:
            out["enabled"] = module["enabled"] ?? true
            out["event_streams"] = ctx.refs(
                "event_streams", module["event_stream_ids"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case .backend:
            out["enabled"] = module["enabled"] ?? true
            out["backend"] = module["backend_id"]?.stringValue.map { ctx.ref("backends", $0) } ?? .null
        case .saml:
            for key in [
                "enabled", "options_passthrough", "cookie_prefix", "inactivity_timeout", "maximum_duration", "idp_metadata",
                "force_authn", "allow_idp_initiated", "authorized_groups",
            ] {
                out[key] = module[key] ?? .null
            }
            let entity = "https://idp.ngrok.com/saml/\(ecID)"
            out["entity_id"] = .string(entity)
            out["assertion_consumer_service_url"] = .string("\(entity)/acs")
            out["single_logout_url"] = .string("\(entity)/slo")
            out["request_signing_certificate_pem"] = .string(samlSigningPEM ?? "")
            out["metadata_url"] = .string(entity)
            out["nameid_format"] = module["nameid_format"] ?? .string(Self.nameIDFormats[0])
            out["idp_metadata_url"] = module["idp_metadata_url"] ?? ""
        default:
            out = module
        }
        return .object(out)
    }

    /// A self-signed request-signing certificate for an EC's SAML module.
    static func makeSigningCertificate(ecID: String, now: Date) -> String {
        let key = P256.Signing.PrivateKey()
        do {
            let name = try DistinguishedName { CommonName("ngrok SAML \(ecID)") }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
                notValidBefore: now, notValidAfter: now.addingTimeInterval(10 * 365 * 86_400), issuer: name,
                subject: name, signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(),
                issuerPrivateKey: .init(key))
            return CertificateParsing.normalized(try certificate.serializeAsPEM().pemString)
        } catch {
            return ""
        }
    }
}
