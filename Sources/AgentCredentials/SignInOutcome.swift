public import Foundation

/// The answer to a sign-in attempt. The page shows the same message for an unknown agent and a wrong password.
public enum SignInOutcome: Sendable, Equatable {
    /// Signed in: the session token for the cookie (shown once, stored only as its SHA-256) and when it expires.
    case signedIn(token: String, agentID: String, expiresAt: Date)
    /// Unknown agent, inactive agent, no credentials, or a wrong password.
    case rejected
    /// Too many wrong passwords: no password is even checked until `until`.
    case lockedOut(until: Date)
}
