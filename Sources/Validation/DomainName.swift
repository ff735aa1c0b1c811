/// Host and domain name syntax shared by reserved domains and credential ACLs.
public enum DomainName {
    public static let maxLength = 253
    public static let maxLabelLength = 63

    /// Checks a reserved domain name: a hostname (`app.example.com`), a wildcard
    /// (`*.example.com`: only the whole first label may be `*`) or a bare label (`myapp`,
    /// a subdomain of ngrok.io). Allowed characters: a-z A-Z 0-9 `-` `.` and the wildcard `*`.
    public static func validateReservedDomain(_ name: String) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if name.isEmpty {
            return [.error("the domain is empty", hint: "write a hostname such as app.example.com", code: 406)]
        }
        if name.utf8.count > maxLength {
            out.append(
                .error("'\(name)' is \(name.utf8.count) bytes long; the maximum is \(maxLength)", code: 423))
        }
        if name.contains("_") {
            out.append(.error("'\(name)' contains '_', which is not allowed in a domain name", code: 408))
        }
        if let bad = name.first(where: { !isHostChar($0) && $0 != "*" && $0 != "_" }) {
            out.append(
                .error(
                    "'\(name)' contains '\(bad)'", hint: "domain names may contain only a-z, A-Z, 0-9, '-', '.' and a leading '*'",
                    code: 407))
        }
        if name.contains("..") {
            out.append(.error("'\(name)' contains an empty label ('..')", code: 409))
        } else if name.hasPrefix(".") || name.hasSuffix(".") {
            out.append(
                .error(
                    "'\(name)' starts or ends with '.'", hint: "write it without the leading or trailing dot", code: 409,
                    suggestion: name.trimmingDots))
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: true)
        for (i, label) in labels.enumerated() {
            if label.contains("*") {
                if i != 0 || label != "*" {
                    out.append(
                        .error(
                            "'\(name)' has a wildcard that is not the whole first label",
                            hint: "only the first label may be a wildcard and it must be exactly '*', as in *.example.com",
                            code: i == 0 ? 403 : 402))
                } else if labels.count < 2 {
                    out.append(.error("'\(name)' is only a wildcard", hint: "write *.example.com", code: 402))
                }
                continue
            }
            out += labelViolations(label, in: name)
        }
        let lower = name.lowercased()
        if lower == "ngrok.com" || lower.hasSuffix(".ngrok.com") {
            out.append(.error("domains under ngrok.com cannot be reserved", code: 404))
        }
        return out
    }

    /// A hostname (one or more labels; no wildcard), e.g. an ACL's `bind:` host.
    public static func validateHostname(_ name: String, allowWildcard: Bool = false) -> RuleViolation? {
        var body = Substring(name)
        if allowWildcard && body.hasPrefix("*.") { body = body.dropFirst(2) }
        guard !body.isEmpty else { return .error("'\(name)' is not a host name") }
        guard name.utf8.count <= maxLength else {
            return .error("'\(name)' is longer than \(maxLength) bytes")
        }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            if let problem = labelViolations(label, in: name).first { return problem }
        }
        return nil
    }

    static func labelViolations(_ label: Substring, in name: String) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if label.isEmpty {
            out.append(.error("'\(name)' contains an empty label", code: 409))
        } else if label.utf8.count > maxLabelLength {
            out.append(
                .error(
                    "'\(name)' has a label of \(label.utf8.count) characters; labels are at most \(maxLabelLength)",
                    code: 410))
        } else if !label.allSatisfy(isHostChar) || label.contains(".") {
            out.append(
                .error(
                    "'\(name)' has an invalid label '\(label)'", hint: "labels contain only a-z, A-Z, 0-9 and '-'",
                    code: 407))
        } else if label.hasPrefix("-") || label.hasSuffix("-") {
            out.append(.error("'\(name)' has a label that starts or ends with '-'", code: 411))
        }
        return out
    }

    static func isHostChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == ".")
    }
}

extension String {
    fileprivate var trimmingDots: String {
        var s = Substring(self)
        while s.hasPrefix(".") { s = s.dropFirst() }
        while s.hasSuffix(".") { s = s.dropLast() }
        return String(s)
    }
}
