import NgrokModel

/// Circuit breaker: the error threshold is a fraction 0.0–1.0; durations and the bucket count
/// are > 0; at most 128 buckets. nil = not set (the API default).
public enum CircuitBreakerRules {
    public static let maxBuckets = 128

    public static func validate(
        trippedDuration: Int?, rollingWindow: Int?, numBuckets: Int?, volumeThreshold: Int?,
        errorThresholdPercentage: Double?
    ) -> [RuleViolation] {
        var out: [RuleViolation] = []
        if let value = trippedDuration, value <= 0 {
            out.append(.error(field: "trippedDuration", "trippedDuration must be greater than 0 (it is \(value))", hint: "for example 60s", code: 1616))
        }
        if let value = rollingWindow, value <= 0 {
            out.append(.error(field: "rollingWindow", "rollingWindow must be greater than 0 (it is \(value))", hint: "for example 5m", code: 1617))
        }
        if let value = numBuckets, value <= 0 || value > maxBuckets {
            out.append(
                .error(field: "numBuckets", "numBuckets must be between 1 and \(maxBuckets) (it is \(value))", code: 1618))
        }
        if let value = volumeThreshold, value < 0 {
            out.append(.error(field: "volumeThreshold", "volumeThreshold cannot be negative (it is \(value))"))
        }
        if let value = errorThresholdPercentage, !(value >= 0 && value <= 1) {
            let hint = value > 1 && value <= 100
                ? "it is a fraction, not a percentage: write \(formatted(value / 100)) for \(formatted(value))%"
                : "write a fraction between 0.0 and 1.0"
            out.append(
                .error(
                    field: "errorThresholdPercentage", "errorThresholdPercentage must be between 0.0 and 1.0 (it is \(formatted(value)))",
                    hint: hint, code: 1611, suggestion: value > 1 && value <= 100 ? formatted(value / 100) : nil))
        }
        return out
    }

    public static func validate(_ module: CircuitBreakerModule) -> [RuleViolation] {
        validate(
            trippedDuration: module.trippedDuration, rollingWindow: module.rollingWindow, numBuckets: module.numBuckets,
            volumeThreshold: module.volumeThreshold, errorThresholdPercentage: module.errorThresholdPercentage)
    }

    static func formatted(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
