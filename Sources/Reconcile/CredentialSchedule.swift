import Foundation

/// Where a credential stands in its rotation, as planned: for the controller's `/status` and
/// metrics.
public struct CredentialSchedule: Sendable, Hashable, Codable {
    /// `NAME` of `Credential/NAME`.
    public var credential: String
    /// The newest generation (after this plan's rotation, if it has one).
    public var generation: Int
    /// When the newest generation was created (the plan's time when it rotates now).
    public var createdAt: Date?
    /// When the next rotation is due (nil without a rotation schedule).
    public var nextRotation: Date?

    public init(credential: String, generation: Int, createdAt: Date?, nextRotation: Date?) {
        self.credential = credential
        self.generation = generation
        self.createdAt = createdAt
        self.nextRotation = nextRotation
    }
}
