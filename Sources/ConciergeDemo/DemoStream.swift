import ConciergeCore
import ConciergeSupport
public import Foundation
public import ResponderWorker

/// A customer of the seeded population, as the generator needs them.
public struct DemoCustomer: Sendable, Hashable {
    public var id: String
    public var tier: String
    public var language: String
    public var market: String

    public init(id: String, tier: String, language: String, market: String) {
        self.id = id
        self.tier = tier
        self.language = language
        self.market = market
    }

    public var isVIP: Bool { self.tier == "vip" }
}

/// What one generated line is, and so what the fleet should do with it: the answer key the demo checks replies
/// against (`DemoAnswerCheck`).
public struct DemoExpectation: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A routine account question the AI answers from the facts (unless the customer is a VIP).
        case account
        /// A how-to question the AI answers from the knowledge base.
        case howto
        /// A case for a person: sensitive, a complaint, a request for a person.
        case human
        /// A second question in a conversation the AI answered.
        case followUp = "follow_up"
        /// The customer back about the same intent, in a new conversation.
        case repeatInquiry = "repeat"
        /// The customer says the AI's answer did not help.
        case unhelped
        /// A line the classifier must dead-letter with `reason`.
        case malformed
        /// A copy of an earlier message id: applied once, not dead-lettered.
        case duplicate
    }

    public var messageID: String
    public var conversationID: String
    public var customerID: String
    public var language: String
    public var kind: Kind
    /// The catalog intent asked about (`asked_for_person` for a request for a person); nil for malformed lines.
    public var intent: String?
    /// The purchase the question is about, when it names one.
    public var purchaseID: String?
    public var vip: Bool
    /// 1: new conversations; 2: follow-ups and repeats, published once the first wave is answered.
    public var wave: Int
    /// For malformed lines: the dead-letter reason the classifier must give.
    public var reason: String?

    public init(
        messageID: String, conversationID: String, customerID: String, language: String, kind: Kind, intent: String?,
        purchaseID: String?, vip: Bool, wave: Int, reason: String?
    ) {
        self.messageID = messageID
        self.conversationID = conversationID
        self.customerID = customerID
        self.language = language
        self.kind = kind
        self.intent = intent
        self.purchaseID = purchaseID
        self.vip = vip
        self.wave = wave
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id", conversationID = "conversation_id", customerID = "customer_id", language, kind
        case intent, purchaseID = "purchase_id", vip, wave, reason
    }
}

/// The generated day: lines to publish, per wave, and what each one is.
public struct DemoStream: Sendable {
    public var waves: [[String]]
    public var expectations: [DemoExpectation]
}

/// Generates the demo's inquiries from the seeded population: their real merchants, order references, payments,
/// instalments and refunds, in the mix of `DemoMix`. The same seed over the same population (same customers, facts
/// as of the same day) gives the same stream; only `sent_at` follows the clock.
public struct DemoStreamGenerator: Sendable {
    public var mix: DemoMix
    public var seed: UInt64
    /// Prefix of every message and conversation id, so streams of several runs can share one database.
    public var run: String

    public init(mix: DemoMix = .bnpl, seed: UInt64, run: String = "gen") {
        self.mix = mix
        self.seed = seed
        self.run = run
    }

    /// Purchases an account intent can be asked about (nil: the intent is about the whole account).
    static func candidates(_ intent: String, _ facts: CustomerFacts) -> [Purchase]? {
        switch intent {
        case "payment_status": facts.purchases.filter { $0.latestPayment != nil }
        case "next_instalment": facts.purchases.filter { $0.nextInstalment != nil }
        case "refund_status": facts.purchases.filter { !$0.refunds.isEmpty }
        case "payment_failed": facts.purchases.filter { $0.openInstalments.contains { $0.status != "scheduled" } }
        case "order_not_received": facts.purchases.filter { $0.deliveryStatus != "delivered" }
        case "late_fee": facts.purchases.filter { $0.plan?.instalments.contains { $0.lateFee.minorUnits > 0 } == true }
        case "wrong_amount_charged": facts.purchases.filter { !$0.payments.isEmpty }
        case "pay_early": facts.purchases.filter { !$0.openInstalments.isEmpty }
        case "extend_due_date": facts.purchases.filter { $0.nextInstalment != nil }
        case "cancel_order": facts.purchases.filter { $0.deliveryStatus == "processing" || $0.status == "cancelled" }
        default: nil
        }
    }

    /// Whether a customer can ask `intent` at all.
    static func canAsk(_ intent: String, _ facts: CustomerFacts) -> Bool {
        if let purchases = self.candidates(intent, facts) { return !purchases.isEmpty }
        if intent == "payment_schedule_overview" { return facts.purchases.contains { $0.nextInstalment != nil } }
        return true
    }

    public func generate(
        customers: [DemoCustomer], facts: [String: CustomerFacts], conversations: Int, now: Date
    ) -> DemoStream {
        var random = SplitMix64(seed: self.seed)
        let ordered = customers.sorted { $0.id < $1.id }
        var used = Set<String>()
        var lines: [[String]] = [[], []]
        var expectations: [DemoExpectation] = []
        var sequence = 0
        let clock = DemoClock(start: now)

        func nextID() -> String {
            sequence += 1
            return "\(self.run)-\(String(format: "%04d", sequence))"
        }

        func emit(_ e: DemoExpectation, text: String) {
            let line = InquiryLine(
                schema: "inquiry.v1", messageID: e.messageID, conversationID: e.conversationID,
                customerID: e.customerID,
                channel: ["chat", "chat", "app", "email"][Int((SplitMix64.fnv1a(e.messageID) >> 1) % 4)],
                language: e.language,
                sentAt: clock.timestamp(), text: text
            )
            lines[e.wave - 1].append(line.json())
            expectations.append(e)
        }

        func pickWeighted(_ items: [(String, Int)]) -> String {
            let total = items.reduce(0) { $0 + $1.1 }
            var roll = Int.random(in: 0..<total, using: &random)
            for (name, weight) in items {
                if roll < weight { return name }
                roll -= weight
            }
            return items[items.count - 1].0
        }

        func pickCustomer(_ ok: (DemoCustomer, CustomerFacts) -> Bool) -> (DemoCustomer, CustomerFacts)? {
            let fresh = ordered.filter { !used.contains($0.id) }
            // Start at a random customer and take the first that fits: cheap, and each fits with similar chance.
            guard !fresh.isEmpty else { return nil }
            let start = Int.random(in: 0..<fresh.count, using: &random)
            for offset in 0..<fresh.count {
                let customer = fresh[(start + offset) % fresh.count]
                let theirs = facts[customer.id] ?? CustomerFacts(customerID: customer.id, purchases: [])
                if ok(customer, theirs) { return (customer, theirs) }
            }
            return nil
        }

        func text(_ kind: String, language: String, purchase: Purchase?, all: [Purchase]) -> String {
            let variants = CustomerPhrases.texts(kind, language: language)
            var chosen = variants[Int.random(in: 0..<variants.count, using: &random)]
            if let purchase {
                let sameShop = all.filter { $0.merchant == purchase.merchant }.count > 1
                let byReference = sameShop || Bool.random(using: &random)
                let mention = CustomerPhrases.mention(
                    shop: purchase.merchant, ref: purchase.orderReference, byReference: byReference, language: language
                )
                chosen = chosen.replacingOccurrences(of: "{mention}", with: mention)
                if chosen.hasPrefix(mention) { chosen = chosen.prefix(1).uppercased() + chosen.dropFirst() }
            }
            return chosen
        }

        // Wave 1: new conversations.
        let accountWeight = self.mix.account.reduce(0) { $0 + $1.1 }
        let howtoWeight = self.mix.howto.reduce(0) { $0 + $1.1 }
        let humanWeight = self.mix.human.reduce(0) { $0 + $1.1 }
        var answered: [(DemoExpectation, Purchase?)] = []
        for _ in 0..<conversations {
            let roll = Int.random(in: 0..<(accountWeight + howtoWeight + humanWeight), using: &random)
            let (kind, intent): (DemoExpectation.Kind, String) =
                roll < accountWeight
                ? (.account, pickWeighted(self.mix.account))
                : roll < accountWeight + howtoWeight
                    ? (.howto, pickWeighted(self.mix.howto)) : (.human, pickWeighted(self.mix.human))
            guard let (customer, theirs) = pickCustomer({ _, f in kind != .account || Self.canAsk(intent, f) }) else {
                continue
            }
            used.insert(customer.id)
            let purchase =
                kind == .account
                ? Self.candidates(intent, theirs).map { $0[Int.random(in: 0..<$0.count, using: &random)] } : nil
            let id = nextID()
            let e = DemoExpectation(
                messageID: id, conversationID: "conv-\(id)", customerID: customer.id, language: customer.language,
                kind: kind, intent: intent, purchaseID: purchase?.id, vip: customer.isVIP, wave: 1, reason: nil
            )
            let phrasing =
                kind == .account && AccountAnswerer.generalUnlessNamed.contains(intent) ? "\(intent):named" : intent
            emit(e, text: text(phrasing, language: customer.language, purchase: purchase, all: theirs.purchases))
            if kind == .account && !customer.isVIP { answered.append((e, purchase)) }
        }

        // Malformed lines and one duplicate, spread through the first wave.
        let first = expectations.first
        let bad: [(String, String?)] = [
            ("this is not json", "malformed_json"),
            (
                #"{"schema":"inquiry.v1","message_id":"\#(self.run)-bad-1","customer_id":"cus_0001","channel":"chat","sent_at":"\#(clock.timestamp())"}"#,
                "schema_violation"
            ),
            (
                #"{"schema":"inquiry.v7","message_id":"\#(self.run)-bad-2","customer_id":"cus_0001","channel":"chat","text":"hi","sent_at":"\#(clock.timestamp())"}"#,
                "unknown_schema"
            ),
            (
                #"{"schema":"inquiry.v1","message_id":"\#(self.run)-bad-3","customer_id":"cus_0001","channel":"chat","language":"en","text":"a NUL \u0000 byte","sent_at":"\#(clock.timestamp())"}"#,
                "unstorable_text"
            ),
        ]
        for (index, (line, reason)) in bad.prefix(self.mix.malformed).enumerated() {
            let at = min(lines[0].count, (index + 1) * max(1, lines[0].count / (self.mix.malformed + 1)))
            lines[0].insert(line, at: at)
            expectations.append(
                DemoExpectation(
                    messageID: index == 0 ? "" : "\(self.run)-bad-\(index)", conversationID: "", customerID: "cus_0001",
                    language: "en",
                    kind: .malformed, intent: nil, purchaseID: nil, vip: false, wave: 1, reason: reason
                )
            )
        }
        if let first, let copy = lines[0].first(where: { $0.contains("\"\(first.messageID)\"") }) {
            lines[0].append(copy)
            var duplicate = first
            duplicate.kind = .duplicate
            expectations.append(duplicate)
        }

        // Wave 2: follow-ups, repeats and unhelped customers, on distinct AI-answered conversations.
        var pool = answered
        pool.shuffle(using: &random)
        let count = answered.count
        let followUps = count * self.mix.followUpsPer100 / 100
        let repeats = count * self.mix.repeatsPer100 / 100
        let unhelped = count * self.mix.unhelpedPer100 / 100
        var second = 0
        for (e, purchase) in pool.prefix(followUps + repeats + unhelped) {
            second += 1
            let id = nextID()
            let theirs = facts[e.customerID]?.purchases ?? []
            if second <= followUps {
                let intent = Bool.random(using: &random) ? "next_instalment" : "payment_schedule_overview"
                let f = DemoExpectation(
                    messageID: id, conversationID: e.conversationID, customerID: e.customerID, language: e.language,
                    kind: .followUp, intent: intent, purchaseID: nil, vip: false, wave: 2, reason: nil
                )
                emit(f, text: text("follow_up:\(intent)", language: e.language, purchase: nil, all: theirs))
            } else if second <= followUps + repeats {
                let r = DemoExpectation(
                    messageID: id, conversationID: "conv-\(id)", customerID: e.customerID, language: e.language,
                    kind: .repeatInquiry, intent: e.intent, purchaseID: purchase?.id, vip: false, wave: 2, reason: nil
                )
                let intent = e.intent ?? ""
                let phrasing = AccountAnswerer.generalUnlessNamed.contains(intent) ? "\(intent):named" : intent
                emit(r, text: text(phrasing, language: e.language, purchase: purchase, all: theirs))
            } else {
                let u = DemoExpectation(
                    messageID: id, conversationID: e.conversationID, customerID: e.customerID, language: e.language,
                    kind: .unhelped, intent: nil, purchaseID: nil, vip: false, wave: 2, reason: nil
                )
                emit(u, text: text("unhelped", language: e.language, purchase: nil, all: theirs))
            }
        }
        return DemoStream(waves: lines, expectations: expectations)
    }
}

/// `sent_at`: the time the stream was generated (the fleet's figures use the times it received and decided).
struct DemoClock {
    var start: Date

    func timestamp() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: self.start)
    }
}

/// One `inquiry.v1` line.
struct InquiryLine: Encodable {
    var schema: String
    var messageID: String
    var conversationID: String
    var customerID: String
    var channel: String
    var language: String
    var sentAt: String
    var text: String

    enum CodingKeys: String, CodingKey {
        case schema, messageID = "message_id", conversationID = "conversation_id", customerID = "customer_id", channel
        case language, sentAt = "sent_at", text
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings cannot fail.
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}
