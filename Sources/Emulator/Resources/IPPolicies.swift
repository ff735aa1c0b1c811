import NgrokModel
import Validation

/// `/ip_policies` (`ipp_`), 2021 shape: `action` lives on the policy and is immutable.
/// Deleting a policy deletes its rules; configurations that use it keep the reference (the API treats
/// such a policy as having zero rules).
struct IPPolicies: Resource {
    let apiCollection = APICollection.ipPolicies
    let createFields = ["description", "metadata", "action"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .ipPolicy)
    var emptyUpdateCode: Int? { 1400 }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let action = try body.string("action"), !action.isEmpty else {
            throw APIError.badRequest(1405, "Missing required parameter 'action': one of 'allow' or 'deny'.")
        }
        guard action == "allow" || action == "deny" else {
            throw APIError.invalidValue("action", "'\(action)' is not one of 'allow' or 'deny'")
        }
        object["action"] = .string(action)
        return JSONObject()
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["action"] = object["action"] ?? "allow"
        return .object(out)
    }

    func willDelete(_ object: StoredObject, _ tx: StoreTransaction) throws {
        for rule in try tx.all("ip_policy_rules") where rule["ip_policy_id"]?.stringValue == object.id {
            try tx.delete(rule.id)
        }
    }
}

/// `/ip_policy_rules` (`ipr_`): one CIDR of a policy.
struct IPPolicyRules: Resource {
    let apiCollection = APICollection.ipPolicyRules
    let createFields = ["description", "metadata", "cidr", "ip_policy_id"]
    let updateFields = ["description", "metadata", "cidr"]
    let lengthCodes = (description: TextLimits.ruleDescriptionCode, metadata: TextLimits.apiErrorCodes(for: .ipPolicy).metadata)
    var emptyUpdateCode: Int? { 1401 }

    private func checkedCIDR(_ text: String, policyID: String, excluding ruleID: String?, _ tx: StoreTransaction)
        throws -> String
    {
        let canonical: String
        do {
            canonical = try CIDR(parsing: text, requireMask: true).description
        } catch {
            throw APIError(error, field: "cidr")
        }
        for rule in try tx.all(collection)
        where rule["ip_policy_id"]?.stringValue == policyID && rule.id != ruleID
            && rule["cidr"]?.stringValue == canonical
        {
            throw APIError.badRequest(
                1408, "A rule with the CIDR '\(canonical)' already exists in IP policy '\(policyID)' (\(rule.id)).")
        }
        return canonical
    }

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let policyID = try body.string("ip_policy_id"), !policyID.isEmpty else {
            throw APIError.badRequest(1405, "Missing required parameter 'ip_policy_id'.")
        }
        do {
            try IDCheck.check(policyID, prefix: "ipp", field: "ip_policy_id")
        } catch {
            throw APIError.badRequest(1414, "Invalid 'ip_policy_id' '\(policyID)': \(error.message)")
        }
        guard try tx.get(policyID, in: "ip_policies") != nil else {
            throw APIError.badRequest(1402, "IP Policy '\(policyID)' not found.")
        }
        guard let cidr = try body.string("cidr"), !cidr.isEmpty else {
            throw APIError.badRequest(1405, "Missing required parameter 'cidr'.")
        }
        object["cidr"] = .string(try checkedCIDR(cidr, policyID: policyID, excluding: nil, tx))
        object["ip_policy_id"] = .string(policyID)
        return JSONObject()
    }

    func update(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws {
        if let cidr = try body.string("cidr") {
            let policyID = object["ip_policy_id"]?.stringValue ?? ""
            object["cidr"] = .string(try checkedCIDR(cidr, policyID: policyID, excluding: object.id, tx))
        }
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["cidr"] = object["cidr"] ?? ""
        out["ip_policy"] = ctx.ref("ip_policies", object["ip_policy_id"]?.stringValue ?? "")
        return .object(out)
    }
}

/// `/ip_whitelist` (`wl_`, list key `whitelist`): account-wide allowed IPs/CIDRs; `ip_net` is immutable.
/// A bare IP is stored as `/32` or `/128`.
struct IPWhitelist: Resource {
    let apiCollection = APICollection.ipWhitelist
    let createFields = ["description", "metadata", "ip_net"]
    let updateFields = ["description", "metadata"]
    let lengthCodes = TextLimits.apiErrorCodes(for: .ipWhitelistEntry)

    func create(_ object: inout StoredObject, _ body: RequestBody, _ ctx: APIContext, _ tx: StoreTransaction) throws
        -> JSONObject
    {
        guard let ipNet = try body.string("ip_net"), !ipNet.isEmpty else {
            throw APIError.missing("ip_net")
        }
        do {
            object["ip_net"] = .string(try CIDR(parsing: ipNet).description)
        } catch {
            throw APIError(error, field: "ip_net")
        }
        return JSONObject()
    }

    func render(_ object: StoredObject, _ ctx: APIContext, extras: JSONObject) -> JSON {
        var out = head(object, ctx)
        out["ip_net"] = object["ip_net"] ?? ""
        return .object(out)
    }
}
