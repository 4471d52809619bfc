/// What the responder tells a customer about moving a due date (`responder.due_date.*` in `config/concierge.yaml`):
/// a scheduled instalment that was never moved can be moved once, by up to `maximumDays` days; an overdue one, or
/// one already moved, cannot. The app applies the same rules when the customer moves it.
public struct DueDateRules: Sendable, Hashable {
    /// `responder.due_date.max_days` (default 14).
    public var maximumDays: Int

    public init(maximumDays: Int = 14) {
        self.maximumDays = maximumDays
    }
}
