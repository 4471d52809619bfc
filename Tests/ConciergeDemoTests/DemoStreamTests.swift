import ConciergeCore
import ConciergeDemo
import Foundation
import ResponderWorker
import Testing

/// A population like `conciergectl seed`'s: every 25th a VIP, one in six German, one in six in the UK market, one in
/// twelve Swedish in the SE market.
struct Population {
    static let asOf = CalendarDate(year: 2026, month: 12, day: 7)

    static let customers: [DemoCustomer] = (1...600).map { n in
        DemoCustomer(
            id: String(format: "cus_%04d", n), tier: n % 25 == 0 ? "vip" : "standard",
            language: n % 6 == 0 ? "de" : n % 12 == 5 ? "sv" : "en",
            market: n % 6 == 3 ? "UK" : n % 12 == 5 ? "SE" : "EU"
        )
    }

    static let facts: [String: CustomerFacts] = {
        var facts: [String: CustomerFacts] = [:]
        for c in customers {
            let purchases = DemoFacts.purchases(
                customerID: c.id, currency: c.market == "UK" ? .gbp : c.market == "SE" ? .sek : .eur, asOf: asOf)
            facts[c.id] = CustomerFacts(customerID: c.id, purchases: purchases)
        }
        return facts
    }()

    /// The shipped reply languages (`config/replies`).
    static let languages: ReplyLanguages = {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        return try! ReplyLanguages.load(directory: root.appendingPathComponent("config/replies").path)
    }()

    static func stream(seed: UInt64 = 7, conversations: Int = 300) -> DemoStream {
        DemoStreamGenerator(seed: seed, run: "t").generate(
            customers: customers, facts: facts, conversations: conversations,
            now: Date(timeIntervalSince1970: 1_796_000_000)
        )
    }
}

@Suite struct DemoStreamTests {
    @Test func theSameSeedGivesTheSameStreamAndAnotherSeedAnother() {
        let a = Population.stream(seed: 7)
        let b = Population.stream(seed: 7)
        let c = Population.stream(seed: 8)
        #expect(a.waves == b.waves)
        #expect(a.expectations == b.expectations)
        #expect(a.waves != c.waves)
    }

    @Test func theMixIsMostlyRoutineWithAShareForPeople() throws {
        let stream = Population.stream(conversations: 400)
        let first = stream.expectations.filter { $0.wave == 1 && [.account, .howto, .human].contains($0.kind) }
        #expect(first.count == 400)
        let account = first.filter { $0.kind == .account }.count
        let human = first.filter { $0.kind == .human }.count
        // 60 % and 24 % by weight; a 400-draw sample stays well within ±10 points.
        #expect((200...280).contains(account), "account \(account)")
        #expect((56...136).contains(human), "human \(human)")
        #expect(stream.expectations.contains { $0.kind == .followUp })
        #expect(stream.expectations.contains { $0.kind == .repeatInquiry })
        #expect(stream.expectations.contains { $0.kind == .unhelped })
        #expect(stream.expectations.filter { $0.kind == .malformed }.count == DemoMix.bnpl.malformed)
        #expect(stream.expectations.filter { $0.kind == .duplicate }.count == 1)
    }

    @Test func everyAccountQuestionIsAboutAPurchaseOfItsCustomerThatFitsTheIntent() throws {
        let stream = Population.stream()
        let lines = try stream.waves.flatMap { $0 }.compactMap { line -> [String: String]? in
            guard line.hasPrefix("{") else { return nil }
            return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
        }
        var texts: [String: String] = [:]
        for line in lines { if let id = line["message_id"] { texts[id] = line["text"] } }
        for e in stream.expectations where e.kind == .account || e.kind == .repeatInquiry {
            let purchases = Population.facts[e.customerID]?.purchases ?? []
            guard let id = e.purchaseID else {
                #expect(e.intent == "payment_schedule_overview", "\(e.messageID) names no purchase")
                continue
            }
            let purchase = try #require(
                purchases.first { $0.id == id }, "\(e.messageID): \(id) is not \(e.customerID)'s")
            let text = try #require(texts[e.messageID])
            #expect(
                text.contains(purchase.merchant) || text.contains(purchase.orderReference),
                "\(text) names neither \(purchase.merchant) nor \(purchase.orderReference)")
            switch e.intent {
            case "refund_status": #expect(!purchase.refunds.isEmpty)
            case "next_instalment": #expect(purchase.nextInstalment != nil)
            case "late_fee": #expect(purchase.plan?.instalments.contains { $0.lateFee.minorUnits > 0 } == true)
            case "order_not_received": #expect(purchase.deliveryStatus != "delivered")
            default: break
            }
            #expect(e.language == Population.customers.first { $0.id == e.customerID }?.language)
        }
    }
}

@Suite struct DemoAnswerCheckTests {
    /// The built-in answerer's replies to the generated questions (asked as the intent they are): the check finds
    /// nothing wrong in them.
    func answered(_ stream: DemoStream) -> [String: DemoAnswerCheck.Observed] {
        var texts: [String: String] = [:]
        for line in stream.waves.flatMap({ $0 }) where line.hasPrefix("{") {
            if let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String],
                let id = json["message_id"]
            {
                texts[id] = json["text"]
            }
        }
        var observed: [String: DemoAnswerCheck.Observed] = [:]
        for e in stream.expectations {
            var seen = DemoAnswerCheck.Observed(
                route: e.kind == .human || e.vip ? "human" : "ai", applied: e.kind == .malformed ? 0 : 1)
            if let intent = e.intent, [.account, .followUp, .repeatInquiry].contains(e.kind), !e.vip,
                let facts = Population.facts[e.customerID], let text = texts[e.messageID]
            {
                switch AccountAnswerer().answer(
                    intent: intent, text: text, facts: facts, language: Population.languages.language(for: e.language))
                {
                case .answer(let reply, _):
                    seen.replyKind = "answer"
                    seen.replyText = reply
                    seen.replyIntent = intent
                    seen.outcome = "resolved"
                case .clarify: seen.replyKind = "clarification"
                case .handoff(let reason, _, _): seen.handoffReason = reason.rawValue
                case .general: break
                }
            }
            observed[e.messageID] = seen
        }
        return observed
    }

    @Test func theBuiltInAnswersToTheGeneratedDayAreAllRight() {
        let stream = Population.stream(conversations: 400)
        let summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: self.answered(stream), facts: Population.facts)
        #expect(summary.checkedAnswers > 200)
        #expect(summary.wrong.isEmpty, "\(summary.wrong.prefix(3))")
        #expect(summary.passed)
        // Every routine question names its purchase: the answerer answers nearly all of them.
        #expect(
            summary.routineAnswered * 100 >= summary.routine * 85, "\(summary.routineAnswered) of \(summary.routine)")
    }

    @Test func anAmountOrDateOffByOneIsWrongAndSoIsAnAnswerWithoutTheValueAsked() throws {
        let stream = Population.stream()
        var observed = self.answered(stream)
        let next = try #require(
            stream.expectations.first { e in
                e.kind == .account && e.intent == "next_instalment" && !e.vip
                    && observed[e.messageID]?.replyKind == "answer"
            })
        let purchase = try #require(Population.facts[next.customerID]?.purchases.first { $0.id == next.purchaseID })
        let instalment = try #require(purchase.nextInstalment)
        let original = try #require(observed[next.messageID]?.replyText)
        let say = Money(minorUnits: instalment.amount.minorUnits + 1, currency: instalment.amount.currency)

        observed[next.messageID]?.replyText =
            "Your next instalment of \(say.decimalString) \(say.currency.code) is due on \(instalment.dueOn)."
        var summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: observed, facts: Population.facts)
        #expect(summary.wrong.map(\.messageID) == [next.messageID])
        #expect(!summary.passed)

        let dayAfter = CalendarDate(dayNumber: instalment.dueOn.dayNumber + 1)
        observed[next.messageID]?.replyText =
            "Your next instalment of \(instalment.amount.decimalString) \(instalment.amount.currency.code) is due on \(dayAfter)."
        summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: observed, facts: Population.facts)
        #expect(summary.wrong.map(\.messageID) == [next.messageID])

        observed[next.messageID]?.replyText = "Your next instalment for \(purchase.merchant) is due soon."
        summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: observed, facts: Population.facts)
        #expect(summary.wrong.first?.problem.hasPrefix("does not state") == true)

        observed[next.messageID]?.replyText = original
        summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: observed, facts: Population.facts)
        #expect(summary.wrong.isEmpty)
    }

    @Test func aCaseForAPersonAtTheAIFailsTheCheck() throws {
        let stream = Population.stream()
        var observed = self.answered(stream)
        let sensitive = try #require(stream.expectations.first { $0.kind == .human })
        observed[sensitive.messageID]?.route = "ai"
        let summary = DemoAnswerCheck().check(
            expectations: stream.expectations, observed: observed, facts: Population.facts)
        #expect(summary.forPersonToAI == [sensitive.messageID])
        #expect(!summary.passed)
    }
}
