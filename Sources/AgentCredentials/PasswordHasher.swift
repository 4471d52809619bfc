import Dispatch
import HummingbirdBcrypt

/// bcrypt hashing and verification, off Swift's cooperative pool: one bcrypt at cost 12 keeps a core busy for a
/// quarter of a second or more, so it runs on a Dispatch queue and the caller awaits it.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost (log2 of the rounds): 12 in production; tests use the minimum (4) to stay fast.
    public let cost: UInt8
    /// The hash of a random password at the same cost, verified against when there is no real hash to check
    /// (an unknown agent), so that case takes as long as a wrong password. Made once, in `init` (startup).
    public let decoyHash: String

    public init(cost: UInt8 = 12) {
        self.cost = min(31, max(4, cost))
        self.decoyHash = Bcrypt.hash(SecretToken.hex(bytes: 16), cost: self.cost)
    }

    private static let queue = DispatchQueue(label: "concierge.bcrypt", qos: .userInitiated, attributes: .concurrent)

    public func hash(_ password: String) async -> String {
        let cost = self.cost
        return await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.hash(password, cost: cost)) }
        }
    }

    public func verify(_ password: String, hash: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: Bcrypt.verify(password, hash: hash)) }
        }
    }
}
