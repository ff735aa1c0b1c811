import Crypto
import Foundation
import NgrokModel
import SwiftASN1
import Validation
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

    /// Configuration types the module may be added to (docs/product-rules.md; the shared model).
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
            let trippedDuration = try body.uint32("tripped_duration")
            let rollingWindow = try body.uint32("rolling_window")
            let numBuckets = try body.uint32("num_buckets")
            let volumeThreshold = try body.uint32("volume_threshold")
            let threshold = try body.double("error_threshold_percentage")
            try APIError.throwFirst(
                CircuitBreakerRules.validate(
                    trippedDuration: trippedDuration.map(Int.init), rollingWindow: rollingWindow.map(Int.init),
                    numBuckets: numBuckets.map(Int.init), volumeThreshold: volumeThreshold.map(Int.init),
                    errorThresholdPercentage: threshold),
                field: rawValue)
            out["tripped_duration"] = .int(trippedDuration ?? 0)
            out["rolling_window"] = .int(rollingWindow ?? 0)
            out["num_buckets"] = .int(numBuckets ?? 0)
            out["volume_threshold"] = .int(volumeThreshold ?? 0)
            out["error_threshold_percentage"] = .double(threshold ?? 0)

        case .compression:
            break

        case .requestHeaders, .responseHeaders:
            let add = try body.stringMap("add") ?? []
            let remove = try body.strings("remove") ?? []
            try APIError.throwFirst(HeaderRules.validate(add: add.map { (name: $0.0, value: $0.1) }, remove: remove), field: rawValue)
            var added = JSONObject()
            for (name, value) in add { added[name.lowercased()] = .string(value) }
            out["add"] = .object(added)
            out["remove"] = .strings(remove.map { $0.lowercased() })

        case .ipPolicy:
            let ids = try body.strings("ip_policy_ids") ?? []
            guard !ids.isEmpty else {
                throw APIError.badRequest(1625, "The ip_policy module requires at least one IP policy in 'ip_policy_ids'.")
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
            var terminateText = try body.string("terminate_at") ?? ""
            if terminateText.isEmpty { terminateText = "edge" }
            let terminateAt: TLSTerminationModule.TerminateAt
            switch TLSTerminationRules.parseTerminateAt(terminateText) {
            case .success(let value): terminateAt = value
            case .failure(let problem): throw APIError(problem, field: rawValue)
            }
            let minVersion = try body.string("min_version")
            try APIError.throwFirst(
                TLSTerminationRules.validate(terminateAt: terminateAt, minVersion: minVersion), field: rawValue)
            out["terminate_at"] = .string(terminateAt.rawValue)
            out["min_version"] = .optionalString(minVersion)

        case .webhookValidation:
            let provider = try body.string("provider") ?? ""
            let secret = try body.string("secret") ?? ""
            try APIError.throwFirst(WebhookRules.validate(provider: provider, hasSecret: !secret.isEmpty), field: rawValue)
            out["provider"] = .string(provider)
            out["secret"] = .string(secret)

        case .oauth:
            out["provider"] = try Self.oauthProvider(body)
            let cookiePrefix = try body.string("cookie_prefix") ?? ""
            let inactivity = try body.uint32("inactivity_timeout")
            let maximum = try body.uint32("maximum_duration")
            let interval = try body.uint32("auth_check_interval")
            try APIError.throwFirst(
                SessionRules.validate(
                    cookiePrefix: cookiePrefix, inactivityTimeout: inactivity.map(Int.init),
                    maximumDuration: maximum.map(Int.init)), field: rawValue)
            if let interval, interval < OAuthRules.minAuthCheckInterval {
                throw APIError.badRequest(
                    1635, "oauth.auth_check_interval is \(interval)s; the minimum is 3 minutes (180s).")
            }
            out["options_passthrough"] = .bool(try body.bool("options_passthrough") ?? false)
            out["cookie_prefix"] = .string(cookiePrefix.isEmpty ? "ngrok." : cookiePrefix)
            out["inactivity_timeout"] = .int(inactivity ?? 0)
            out["maximum_duration"] = .int(maximum ?? 0)
            out["auth_check_interval"] = .int(interval ?? 0)

        case .logging:
            let ids = try body.strings("event_stream_ids") ?? []
            for id in ids { try IDCheck.check(id, prefix: "es", field: "logging.event_stream_ids") }
            out["event_stream_ids"] = .strings(ids)

        case .saml:
            let metadata = try body.string("idp_metadata") ?? ""
            let metadataURL = try body.string("idp_metadata_url") ?? ""
            let format = try body.string("nameid_format") ?? ""
            let groups = try body.strings("authorized_groups") ?? []
            let cookiePrefix = try body.string("cookie_prefix") ?? ""
            let inactivity = try body.uint32("inactivity_timeout")
            let maximum = try body.uint32("maximum_duration")
            try APIError.throwFirst(
                SAMLRules.validate(
                    idpMetadata: metadata, idpMetadataUrl: metadataURL, nameidFormat: format, authorizedGroups: groups,
                    cookiePrefix: cookiePrefix, inactivityTimeout: inactivity.map(Int.init),
                    maximumDuration: maximum.map(Int.init)), field: rawValue)
            if metadata.utf8.count > 100_000 {
                throw APIError.badRequest(1680, "The SAML IdP metadata is too large.")
            }
            out["options_passthrough"] = .bool(try body.bool("options_passthrough") ?? false)
            out["cookie_prefix"] = .string(cookiePrefix)
            out["inactivity_timeout"] = .int(inactivity ?? 0)
            out["maximum_duration"] = .int(maximum ?? 0)
            out["idp_metadata"] = .string(metadata)
            out["idp_metadata_url"] = .string(metadataURL)
            out["force_authn"] = .bool(try body.bool("force_authn") ?? false)
            out["allow_idp_initiated"] = .bool(try body.bool("allow_idp_initiated") ?? true)
            out["authorized_groups"] = .strings(groups)
            out["nameid_format"] = .string(format.isEmpty ? SAMLRules.nameidFormats[0] : format)

        case .oidc:
            let issuer = try body.string("issuer") ?? ""
            let clientID = try body.string("client_id") ?? ""
            let clientSecret = try body.string("client_secret") ?? ""
            let scopes = try body.strings("scopes") ?? []
            let cookiePrefix = try body.string("cookie_prefix") ?? ""
            let inactivity = try body.uint32("inactivity_timeout")
            let maximum = try body.uint32("maximum_duration")
            try APIError.throwFirst(
                OIDCRules.validate(
                    issuer: issuer, clientId: clientID, hasClientSecret: !clientSecret.isEmpty, scopes: scopes,
                    cookiePrefix: cookiePrefix, inactivityTimeout: inactivity.map(Int.init),
                    maximumDuration: maximum.map(Int.init)), field: rawValue)
            out["options_passthrough"] = .bool(try body.bool("options_passthrough") ?? false)
            out["cookie_prefix"] = .string(cookiePrefix)
            out["inactivity_timeout"] = .int(inactivity ?? 0)
            out["maximum_duration"] = .int(maximum ?? 0)
            out["issuer"] = .string(issuer)
            out["client_id"] = .string(clientID)
            out["client_secret"] = .string(clientSecret)
            out["scopes"] = .strings(scopes)

        case .backend:
            out["backend_id"] = .optionalString(try body.string("backend_id"))
        }
        return out
    }

    static let oauthProviders = ["github", "facebook", "microsoft", "google"]

    static func oauthProvider(_ body: RequestBody) throws(APIError) -> JSON {
        let providerBody = try body.object("provider", allowed: oauthProviders) ?? .empty
        let given = oauthProviders.filter { providerBody.has($0) }
        let provider: OAuthProvider
        switch OAuthRules.parseProvider(keys: given) {
        case .success(let value): provider = value
        case .failure(let problem): throw APIError(problem, field: "oauth.provider")
        }
        var fields = ["client_id", "client_secret", "scopes", "email_addresses", "email_domains"]
        if provider == .github { fields += ["teams", "organizations"] }
        let p = try providerBody.object(provider.rawValue, allowed: fields) ?? .empty
        let clientID = try p.string("client_id").flatMap { $0.isEmpty ? nil : $0 }
        let clientSecret = try p.string("client_secret").flatMap { $0.isEmpty ? nil : $0 }
        let scopes = try p.strings("scopes") ?? []
        let emails = try p.strings("email_addresses") ?? []
        let domains = try p.strings("email_domains") ?? []
        let teams = try p.strings("teams") ?? []
        let organizations = try p.strings("organizations") ?? []
        try APIError.throwFirst(
            OAuthRules.validate(
                provider: provider, clientId: clientID, hasClientSecret: clientSecret != nil, scopes: scopes,
                emailAddresses: emails, emailDomains: domains, teams: teams, organizations: organizations),
            field: "oauth.provider.\(provider.rawValue)")
        var out = JSONObject()
        for name in oauthProviders {
            guard name == provider.rawValue else {
                out[name] = .null
                continue
            }
            var entry = JSONObject()
            entry["client_id"] = .optionalString(clientID)
            entry["client_secret"] = .optionalString(clientSecret)
            entry["scopes"] = .strings(scopes)
            entry["email_addresses"] = .strings(emails)
            entry["email_domains"] = .strings(domains)
            if provider == .github {
                entry["teams"] = .strings(teams)
                entry["organizations"] = .strings(organizations)
            }
            out[name] = .object(entry)
        }
        return .object(out)
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
            out["nameid_format"] = module["nameid_format"] ?? .string(SAMLRules.nameidFormats[0])
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
            return PEMText.normalized(try certificate.serializeAsPEM().pemString)
        } catch {
            return ""
        }
    }
}
