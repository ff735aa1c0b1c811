import Foundation

/// One `-----BEGIN LABEL----- … -----END LABEL-----` block.
public struct PEMBlock: Sendable, Hashable {
    public var label: String
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`), in order.
    public var headers: [String]
    public var der: [UInt8]

    public init(label: String, headers: [String] = [], der: [UInt8]) {
        self.label = label
        self.headers = headers
        self.der = der
    }

    /// A legacy OpenSSL encrypted key (`Proc-Type: 4,ENCRYPTED`) or a PKCS#8 `ENCRYPTED PRIVATE KEY`.
    public var isEncryptedKey: Bool {
        label == "ENCRYPTED PRIVATE KEY" || headers.contains { $0.uppercased().contains("ENCRYPTED") }
    }

    public var isPrivateKey: Bool { label.hasSuffix("PRIVATE KEY") }
}

/// PEM text splitting. Text outside blocks is ignored. Errors never quote block contents.
public enum PEM {
    public static func blocks(in text: String) -> Result<[PEMBlock], RuleViolation> {
        var out: [PEMBlock] = []
        var label: String?
        var headers: [String] = []
        var body = ""
        var inHeaders = false
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if let current = label {
                if line.hasPrefix("-----END ") {
                    let endLabel = String(line.dropFirst(9).prefix { $0 != "-" })
                    guard endLabel == current else {
                        return .failure(
                            .error("the PEM block '\(current)' ends with '-----END \(endLabel)-----'", code: 1920))
                    }
                    guard let data = Data(base64Encoded: body), !data.isEmpty else {
                        return .failure(.error("the PEM block '\(current)' is not valid base64", code: 1920))
                    }
                    out.append(PEMBlock(label: current, headers: headers, der: Array(data)))
                    label = nil
                    continue
                }
                if inHeaders {
                    if line.isEmpty {
                        inHeaders = false
                        continue
                    }
                    if line.contains(":") && body.isEmpty {
                        headers.append(line)
                        continue
                    }
                    inHeaders = false
                }
                body += line
            } else if line.hasPrefix("-----BEGIN ") && line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                headers = []
                body = ""
                inHeaders = true
            }
        }
        if let label {
            return .failure(.error("the PEM block '\(label)' has no END line", hint: "the file may be truncated", code: 1920))
        }
        return .success(out)
    }
}
