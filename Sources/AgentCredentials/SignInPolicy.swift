/// How sign-in is limited and how long a session lasts.
///
/// Keys (read by the gateway's settings): `gateway.session.ttl_minutes` (720), `gateway.signin.max_failures` (5),
/// `gateway.signin.lockout_seconds` (300), `gateway.bcrypt_cost` (12).
public struct SignInPolicy: Sendable, Hashable {
    /// How long a session is valid after sign-in.
    public var sessionTTLSeconds: Int = 12 * 3600
    /// Consecutive wrong passwords before the agent is locked out.
    public var maximumFailures: Int = 5
    /// How long a lock-out lasts; after it, each further wrong password locks again.
    public var lockoutSeconds: Int = 300

    public init(sessionTTLSeconds: Int = 12 * 3600, maximumFailures: Int = 5, lockoutSeconds: Int = 300) {
        self.sessionTTLSeconds = max(1, sessionTTLSeconds)
        self.maximumFailures = max(1, maximumFailures)
        self.lockoutSeconds = max(1, lockoutSeconds)
    }
}
