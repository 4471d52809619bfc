import ConciergeCore

/// The one-line facts an answer or a handoff summary lists (for agents and for the persisted reply).
extension Purchase {
    var fact: HandoffSummary.Fact {
        let next = self.nextInstalment.map { ", next \($0.amount.factText) due \($0.dueOn)" } ?? ""
        return HandoffSummary.Fact(
            kind: "purchase", id: self.id,
            summary: "\(self.merchant) \(self.orderReference), \(self.amount.factText) on \(self.purchasedOn), "
                + "\(self.plan?.kind ?? "no plan"), \(self.status), delivery \(self.deliveryStatus)\(next)"
        )
    }
}

extension Instalment {
    var fact: HandoffSummary.Fact {
        let fee = self.lateFee.minorUnits > 0 ? ", late fee \(self.lateFee.factText)" : ""
        return HandoffSummary.Fact(
            kind: "instalment", id: self.id,
            summary: "instalment \(self.sequence) of \(self.amount.factText) due \(self.dueOn), \(self.status)"
                + "\(self.paidOn.map { " on \($0)" } ?? "")\(fee)"
        )
    }
}

extension Payment {
    var fact: HandoffSummary.Fact {
        HandoffSummary.Fact(
            kind: "payment", id: self.id,
            summary: "payment of \(self.amount.factText) by \(self.method) on \(self.attemptedOn), \(self.status)"
                + "\(self.failureReason.map { " (\($0))" } ?? "")"
        )
    }
}

extension Refund {
    var fact: HandoffSummary.Fact {
        HandoffSummary.Fact(
            kind: "refund", id: self.id,
            summary: "\(self.kind) of \(self.amount.factText) requested \(self.requestedOn), \(self.status)"
                + "\(self.expectedOn.map { ", expected \($0)" } ?? "")\(self.completedOn.map { ", completed \($0)" } ?? "")"
        )
    }
}
