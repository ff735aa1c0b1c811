import Foundation
import NgrokModel
import Validation

/// Endpoint-configuration attachment checks shared by reserved domains and addresses.
enum Attachments {
    /// The EC `id` checked to exist and to have type `expected` (else `typeCode`).
    static func endpointConfiguration(
        _ id: String, field: String, expected: String, typeCode: Int, _ tx: StoreTransaction
    ) throws -> String {
        if id.isEmpty {
            throw APIError.invalidValue(field, "empty; detach with the DELETE sub-path instead")
        }
        let ec = try IDCheck.referenced(
            id, prefix: "ec", collection: "endpoint_configurations", field: field, code: 1600,
            what: "endpoint configuration", tx)
        let type = ec["type"]?.stringValue ?? ""
        guard type == expected else {
            throw APIError.badRequest(
                typeCode,
                "You may not assign endpoint configuration \(id) because it is type \(type). You must assign a configuration with type \(expected)."
            )
        }
        return id
    }

    static func region(_ body: RequestBody, invalidCode: Int) throws(APIError) -> String {
        let region = try body.string("region") ?? ""
        if region.isEmpty { return "us" }
        try APIError.throwIf(ReservedDomainRules.validateRegion(region, code: invalidCode))
        return region
    }
}

/// `/reserved_addrs` (`ra_`): a TCP address allocated per region; `region` is immutable.
struct ReservedAddrs: Resource {
    let apiCollection = APICollection.reservedAddrs
    let createFields = ["description", "metadata", "region", "endpoint_configuration_id"]
    let updateFields = ["description", "metadata", "endpoint_configuration_id"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .reservedAddress)
    var emptyUpdateCode: Int? { 506 }

    private func attach(_ object: inout StoredObject, _ body: RequestBody, _ tx: StoreTransaction) throws {
        if let ec = try body.string("endpoint_configuration_id") {
            object["endpoint_configuration_id"] = .string(
                try Attachments.endpointConfiguration(
                    ec, field: "endpoint_configuration_id", expected: "tcp", typeCode: 507, tx))
        }
    }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        let region = try Attachments.region(body, invalidCode: 500)
        try attach(&object, body, tx)
        let n = try tx.nextCounter("addr_\(region)") - 1
        let host = region == "us" ? "\(1 + n / 10_000).tcp.ngrok.io" : "\(1 + n / 10_000).tcp.\(region).ngrok.io"
        object["addr"] = .string("\(host):\(20_000 + n % 10_000)")
        object["region"] = .string(region)
        return JSONObject()
    }

    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {
        try attach(&object, body, tx)
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["addr"] = object["addr"] ?? ""
        out["region"] = object["region"] ?? "us"
        out["endpoint_configuration"] =
            object["endpoint_configuration_id"]?.stringValue.map { ctx.ref("endpoint_configurations", $0) } ?? .null
        return .object(out)
    }
}

/// `/reserved_domains` (`rd_`). `name` on create becomes `domain`; a bare label is `<label>.ngrok.io`.
struct ReservedDomains: Resource {
    let apiCollection = APICollection.reservedDomains
    let createFields = [
        "name", "domain", "region", "description", "metadata", "http_endpoint_configuration_id",
        "https_endpoint_configuration_id", "certificate_id", "certificate_management_policy",
    ]
    let updateFields = [
        "description", "metadata", "http_endpoint_configuration_id", "https_endpoint_configuration_id",
        "certificate_id", "certificate_management_policy",
    ]
    let lengthCodes = TextLimits.apiErrorCodes(for: .reservedDomain)
    var emptyUpdateCode: Int? { 422 }

    /// The shared definition (Validation), so the emulator and `validate` agree.
    static func isNgrokOwned(_ domain: String) -> Bool { ReservedDomainRules.isNgrokOwned(domain) }

    /// The hostname reserved for `name`, or the API's syntax error.
    static func hostname(_ name: String) throws(APIError) -> String {
        try APIError.throwFirst(DomainName.validateReservedDomain(name), field: "name")
        let lowered = name.lowercased()
        return lowered.contains(".") ? lowered : "\(lowered).ngrok.io"
    }

    private func cnameLabel() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
    }

    private func certPolicy(_ body: RequestBody) throws(APIError) -> JSON? {
        guard let policy = try body.object("certificate_management_policy", allowed: ["authority", "private_key_type"])
        else { return nil }
        var authority = try policy.string("authority") ?? ""
        if authority.isEmpty { authority = "letsencrypt" }
        var keyType = try policy.string("private_key_type") ?? ""
        if keyType.isEmpty { keyType = "rsa" }
        try APIError.throwFirst(
            ReservedDomainRules.validateCertificateManagement(authority: authority, privateKeyType: keyType),
            field: "certificate_management_policy")
        return ["authority": .string(authority), "private_key_type": .string(keyType)]
    }

    private func apply(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction)
        throws
    {
        let domain = object["domain"]?.stringValue ?? ""
        if let id = try body.string("http_endpoint_configuration_id") {
            object["http_endpoint_configuration_id"] = .string(
                try Attachments.endpointConfiguration(
                    id, field: "http_endpoint_configuration_id", expected: "http", typeCode: 428, tx))
        }
        if let id = try body.string("https_endpoint_configuration_id") {
            object["https_endpoint_configuration_id"] = .string(
                try Attachments.endpointConfiguration(
                    id, field: "https_endpoint_configuration_id", expected: "https", typeCode: 428, tx))
        }
        let certificateID = try body.string("certificate_id")
        let policy = try certPolicy(body)
        if certificateID != nil, policy != nil {
            throw APIError.badRequest(434, "Either a certificate or a certificate management policy may be specified, not both.")
        }
        if let certificateID {
            if Self.isNgrokOwned(domain) {
                throw APIError.badRequest(440, "You may not upload a certificate for the ngrok-owned domain '\(domain)'.")
            }
            if certificateID.isEmpty {
                throw APIError.invalidValue("certificate_id", "empty; detach with the DELETE sub-path instead")
            }
            _ = try IDCheck.referenced(
                certificateID, prefix: "cert", collection: "tls_certificates", field: "certificate_id", code: 215,
                what: "TLS certificate", tx)
            object["certificate_id"] = .string(certificateID)
            object["certificate_management_policy"] = nil
            object["certificate_management_status"] = nil
        }
        if let policy {
            if Self.isNgrokOwned(domain) {
                throw APIError.badRequest(
                    439, "The certificate management policy must be null for the ngrok-owned domain '\(domain)'.")
            }
            object["certificate_management_policy"] = policy
            object["certificate_id"] = nil
            object["certificate_management_status"] = [
                "renews_at": nil,
                "provisioning_job": [
                    "error_code": nil, "msg": "Managed certificate provisioning in progress.",
                    "started_at": .string(ctx.timestamp), "retries_at": nil,
                ],
            ]
        }
    }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        let name = try body.string("name") ?? body.string("domain") ?? ""
        guard !name.isEmpty else { throw APIError.missing("name") }
        let domain = try Self.hostname(name)
        let region = try Attachments.region(body, invalidCode: 400)
        for existing in try tx.all(collection) where existing["domain"]?.stringValue == domain {
            throw APIError.badRequest(413, "You have already reserved the domain '\(domain)' (\(existing.id)).")
        }
        object["domain"] = .string(domain)
        object["region"] = .string(region)
        if !Self.isNgrokOwned(domain) {
            object["cname_target"] = .string("\(cnameLabel()).cname.\(region).ngrok.io")
            if domain.hasPrefix("*.") {
                object["acme_challenge_cname_target"] = .string("\(cnameLabel()).acme.\(region).ngrok.io")
            }
        }
        try apply(&object, body, ctx, tx)
        return JSONObject()
    }

    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {
        try apply(&object, body, ctx, tx)
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["domain"] = object["domain"] ?? ""
        out["region"] = object["region"] ?? "us"
        out["cname_target"] = object["cname_target"] ?? .null
        out["http_endpoint_configuration"] =
            object["http_endpoint_configuration_id"]?.stringValue.map { ctx.ref("endpoint_configurations", $0) } ?? .null
        out["https_endpoint_configuration"] =
            object["https_endpoint_configuration_id"]?.stringValue.map { ctx.ref("endpoint_configurations", $0) }
            ?? .null
        out["certificate"] = object["certificate_id"]?.stringValue.map { ctx.ref("tls_certificates", $0) } ?? .null
        out["certificate_management_policy"] = object["certificate_management_policy"] ?? .null
        out["certificate_management_status"] = object["certificate_management_status"] ?? .null
        out["acme_challenge_cname_target"] = object["acme_challenge_cname_target"] ?? .null
        return .object(out)
    }

    /// `DELETE /reserved_domains/{id}/<what>`.
    func detach(_ object: inout StoredObject, _ what: String) throws {
        switch what {
        case "certificate_management_policy":
            object["certificate_management_policy"] = nil
            object["certificate_management_status"] = nil
        case "certificate":
            if object["certificate_management_policy"] != nil {
                throw APIError.badRequest(
                    436,
                    "The certificate of a reserved domain with a managed certificate policy can not be detached directly, instead the managed certificate policy itself should be detached."
                )
            }
            object["certificate_id"] = nil
        case "http_endpoint_configuration": object["http_endpoint_configuration_id"] = nil
        case "https_endpoint_configuration": object["https_endpoint_configuration_id"] = nil
        default: throw APIError.notFound
        }
    }

    static let detachPaths = [
        "certificate_management_policy", "certificate", "http_endpoint_configuration", "https_endpoint_configuration",
    ]
}
