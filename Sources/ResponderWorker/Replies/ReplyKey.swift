/// Every sentence the built-in responder writes, by its key in `config/replies/<language>.yaml`, with the placeholders
/// its text may use. The code decides which sentence to say and fills the placeholders from the facts; the language
/// files hold the words.
///
/// Placeholders, filled from the facts already formatted for the language:
/// `{amount}`, `{fee}`, `{remaining}`, `{total}`: money (`Money.formatted(_:)`); `{date}`, `{paid_on}`, `{expected}`,
/// `{latest}`, `{original}`: dates (`CalendarDate.formatted(_:)`); `{days}`: a number of days; `{shop}`: the merchant's name; `{order}`: the order reference;
/// `{purchase}`: the `purchase` sentence ("Zalando (order ZL-448812)"); `{count}`: a number; `{reason}`: a
/// `failure.*` sentence; `{what}`: a `refund.what_*` sentence; `{amounts}`, `{lines}`, `{charges}`, `{plan}`,
/// `{text}`, `{title}`, `{id}`: text the code assembles (see each key).
///
/// To add a sentence: add a case here with its placeholders, say it from the code (`ReplyLanguage.say`), and add its
/// text to every file in `config/replies/`; loading fails, naming the file and the key, until every language has it.
public enum ReplyKey: String, Sendable, Hashable, CaseIterable {
    /// "Zalando (order ZL-448812)".
    case purchase = "purchase"
    /// "and", between the totals of several currencies.
    case and = "and"
    /// A date the facts do not hold (a refund without an expected date).
    case dateUnknown = "date_unknown"

    case paymentSucceeded = "payment.succeeded"
    case paymentPending = "payment.pending"
    case paymentFailed = "payment.failed"
    case paymentReversed = "payment.reversed"

    case failureInsufficientFunds = "failure.insufficient_funds"
    case failureCardExpired = "failure.card_expired"
    case failureAuthenticationRequired = "failure.authentication_required"
    case failureOther = "failure.other"

    case nextScheduled = "next.scheduled"
    case nextScheduledFor = "next.scheduled_for"
    case nextOverdue = "next.overdue"
    case nextOverdueFor = "next.overdue_for"

    case fullyPaid = "fully_paid"
    case noOpenInstalments = "no_open_instalments"

    case scheduleHeader = "schedule.header"
    case scheduleLineOne = "schedule.line_one"
    case scheduleLineOther = "schedule.line_other"
    case scheduleTotal = "schedule.total"

    case refundWhatReturn = "refund.what_return"
    case refundWhatRefund = "refund.what_refund"
    case refundCompletedReturn = "refund.completed_return"
    case refundCompletedRefund = "refund.completed_refund"
    case refundRejected = "refund.rejected"
    case refundInTransit = "refund.in_transit"
    case refundProcessingReturn = "refund.processing_return"
    case refundProcessingRefund = "refund.processing_refund"
    case refundRegistered = "refund.registered"

    case failedInstalment = "failed_instalment.without_reason"
    case failedInstalmentBecause = "failed_instalment.with_reason"
    /// A failed collection's next automatic attempt (`payments.next_retry_on`).
    case failedInstalmentRetry = "failed_instalment.retry"

    /// Paying early: the next instalment and what settles the purchase in full today.
    case payEarlySettle = "pay_early.settle"
    /// Paying early when one instalment is left.
    case payEarlyLast = "pay_early.last"
    /// After either: the late fees the amount includes.
    case payEarlyFeesIncluded = "pay_early.fees_included"

    /// The next instalment's due date can be moved (`responder.due_date` rules): by how many days, until when.
    case dueDateCanMove = "due_date.can_move"
    /// It was moved once already (`instalments.original_due_on`).
    case dueDateMovedOnce = "due_date.moved_once"
    /// It is overdue: too late to move it.
    case dueDateOverdue = "due_date.overdue"

    /// A cancelled order (`purchases.cancelled_on`), then the refund sentence or `cancel.nothing_paid`.
    case cancelCancelled = "cancel.cancelled"
    case cancelNothingPaid = "cancel.nothing_paid"
    /// Not shipped yet: the shop can still cancel it.
    case cancelPossible = "cancel.possible"
    /// Shipped or delivered: return it instead.
    case cancelShipped = "cancel.shipped"

    case lateFeePaid = "late_fee.paid"
    case lateFeeUnpaid = "late_fee.unpaid"

    case deliveryProcessing = "delivery.processing"
    case deliveryShipped = "delivery.shipped"
    case deliveryLost = "delivery.lost"

    case chargesMatchPlan = "charges.match_plan"
    case chargesNoneYet = "charges.none_yet"
    case chargesEqualInstalments = "charges.equal_instalments"
    case chargesItem = "charges.item"

    case clarifyQuestion = "clarify.question"
    case clarifyLine = "clarify.line"

    case articleSource = "article.source"

    /// The placeholders the key's text may use; the code fills every one of them.
    public var placeholders: Set<String> {
        switch self {
        case .purchase: ["shop", "order"]
        case .and, .dateUnknown, .failureInsufficientFunds, .failureCardExpired, .failureAuthenticationRequired,
            .failureOther, .scheduleHeader, .chargesNoneYet:
            []
        case .paymentSucceeded, .paymentPending, .paymentReversed: ["amount", "purchase", "date"]
        case .paymentFailed: ["amount", "purchase", "date", "reason"]
        case .nextScheduled, .nextOverdue: ["amount", "date"]
        case .nextScheduledFor, .nextOverdueFor: ["amount", "purchase", "date"]
        case .fullyPaid: ["purchase"]
        case .noOpenInstalments: ["count"]
        case .scheduleLineOne, .scheduleLineOther: ["purchase", "count", "remaining", "amount", "date"]
        case .scheduleTotal: ["amounts"]
        case .refundWhatReturn: ["purchase"]
        case .refundWhatRefund: ["amount", "purchase"]
        case .refundCompletedReturn, .refundCompletedRefund: ["purchase", "amount", "date"]
        case .refundRejected: ["what", "shop"]
        case .refundInTransit: ["what", "amount", "expected"]
        case .refundProcessingReturn, .refundProcessingRefund: ["shop", "amount", "expected"]
        case .refundRegistered: ["what", "date", "amount", "expected"]
        case .failedInstalment: ["amount", "purchase", "date"]
        case .failedInstalmentBecause: ["amount", "purchase", "date", "reason"]
        case .failedInstalmentRetry: ["date"]
        case .payEarlySettle: ["amount", "purchase", "date", "total", "count", "shop"]
        case .payEarlyLast: ["amount", "purchase", "date", "shop"]
        case .payEarlyFeesIncluded: ["fee"]
        case .dueDateCanMove: ["amount", "purchase", "date", "days", "latest", "shop"]
        case .dueDateMovedOnce: ["amount", "purchase", "original", "date"]
        case .dueDateOverdue: ["amount", "purchase", "date"]
        case .cancelCancelled: ["purchase", "date"]
        case .cancelNothingPaid: []
        case .cancelPossible: ["purchase", "date", "shop"]
        case .cancelShipped: ["purchase", "shop"]
        case .lateFeePaid: ["fee", "amount", "purchase", "date", "paid_on"]
        case .lateFeeUnpaid: ["fee", "amount", "purchase", "date"]
        case .deliveryProcessing: ["purchase", "date"]
        case .deliveryShipped, .deliveryLost: ["shop", "order", "date"]
        case .chargesMatchPlan: ["purchase", "total", "plan", "charges"]
        case .chargesEqualInstalments: ["count", "amount"]
        case .chargesItem: ["amount", "date"]
        case .clarifyQuestion: ["lines"]
        case .clarifyLine: ["shop", "order", "amount", "date"]
        case .articleSource: ["text", "title", "id"]
        }
    }
}
