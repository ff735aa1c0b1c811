import NgrokModel
import Validation

/// `/credentials` (`cr_`): tunnel authtokens. The token is only in the create response.
struct Credentials: Resource {
    let apiCollection = APICollection.credentials
    let createFields = ["description", "metadata", "acl"]
    let updateFields = ["description", "metadata", "acl"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .credential)
    var emptyUpdateCode: Int? { 606 }

    private func acl(_ body: RequestBody) throws(APIError) -> [String]? {
        guard let rules = try body.strings("acl") else { return nil }
        for rule in rules {
            try APIError.throwIf(ACLRule.validate(rule), field: "acl")
        }
        return rules
    }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        object["acl"] = .strings(try acl(body) ?? [])
        let ksuid = object.id.dropFirst(prefix.count + 1)
        return JSONObject([("token", .string("\(ksuid)_\(IDGenerator.randomBase62(21))"))])
    }

    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {
        if let rules = try acl(body) { object["acl"] = .strings(rules) }
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["token"] = extras["token"] ?? .null
        out["acl"] = object["acl"] ?? []
        return .object(out)
    }
}
