import ConciergeCore

/// The built-in responder's sentences in English and German. Every number and date in them comes from the facts
/// passed in, formatted for the language.
struct ReplyPhrases: Sendable {
    let language: ReplyLanguage

    func money(_ value: Money) -> String { value.formatted(self.language) }
    func date(_ value: CalendarDate) -> String { value.formatted(self.language) }

    /// "Zalando (order ZL-448812)".
    func purchase(_ p: Purchase) -> String {
        switch self.language {
        case .en: "\(p.merchant) (order \(p.orderReference))"
        case .de: "\(p.merchant) (Bestellung \(p.orderReference))"
        }
    }

    func payment(_ payment: Payment, _ p: Purchase) -> String {
        let amount = self.money(payment.amount), day = self.date(payment.attemptedOn), shop = self.purchase(p)
        switch (self.language, payment.status) {
        case (.en, "succeeded"): return "Your payment of \(amount) to \(shop) on \(day) was received."
        case (.en, "pending"):
            return "Your payment of \(amount) to \(shop) from \(day) is still being processed. Bank transfers usually show as paid within two working days; there is nothing you need to do."
        case (.en, "failed"):
            return "Your payment of \(amount) to \(shop) on \(day) did not go through (\(self.failure(payment.failureReason)))."
        case (.en, _): return "Your payment of \(amount) to \(shop) on \(day) was reversed by your bank."
        case (.de, "succeeded"): return "Deine Zahlung von \(amount) an \(shop) am \(day) ist bei uns eingegangen."
        case (.de, "pending"):
            return "Deine Zahlung von \(amount) an \(shop) vom \(day) wird noch verarbeitet. Überweisungen erscheinen meist innerhalb von zwei Werktagen als bezahlt; du musst nichts weiter tun."
        case (.de, "failed"):
            return "Deine Zahlung von \(amount) an \(shop) am \(day) ist nicht durchgegangen (\(self.failure(payment.failureReason)))."
        case (.de, _): return "Deine Zahlung von \(amount) an \(shop) am \(day) wurde von deiner Bank zurückgebucht."
        }
    }

    func failure(_ reason: String?) -> String {
        switch (self.language, reason) {
        case (.en, "insufficient_funds"): "there were not enough funds"
        case (.en, "card_expired"): "the card has expired"
        case (.en, "authentication_required"): "your bank asked for an extra confirmation"
        case (.en, _): "your bank declined it"
        case (.de, "insufficient_funds"): "das Konto war nicht ausreichend gedeckt"
        case (.de, "card_expired"): "die Karte ist abgelaufen"
        case (.de, "authentication_required"): "deine Bank hat eine zusätzliche Bestätigung verlangt"
        case (.de, _): "deine Bank hat sie abgelehnt"
        }
    }

    func next(_ instalment: Instalment, _ p: Purchase, named: Bool) -> String {
        let amount = self.money(instalment.amount), day = self.date(instalment.dueOn)
        let shop = named ? self.purchase(p) : nil
        switch (self.language, instalment.status) {
        case (.en, "scheduled"):
            return shop.map { "Your next instalment of \(amount) for \($0) is due on \(day)." } ?? "Your next instalment of \(amount) is due on \(day)."
        case (.en, _):
            return "Your instalment of \(amount)\(shop.map { " for \($0)" } ?? "") was due on \(day) and is still open; you can pay it now in the app under Purchases."
        case (.de, "scheduled"):
            return shop.map { "Deine nächste Rate von \(amount) für \($0) ist am \(day) fällig." } ?? "Deine nächste Rate von \(amount) ist am \(day) fällig."
        case (.de, _):
            return "Deine Rate von \(amount)\(shop.map { " für \($0)" } ?? "") war am \(day) fällig und ist noch offen; du kannst sie jetzt in der App unter Einkäufe bezahlen."
        }
    }

    func fullyPaid(_ p: Purchase) -> String {
        switch self.language {
        case .en: "Your purchase at \(self.purchase(p)) is fully paid; there are no further instalments."
        case .de: "Dein Einkauf bei \(self.purchase(p)) ist vollständig bezahlt; es sind keine weiteren Raten offen."
        }
    }

    func noOpenInstalments(count: Int) -> String {
        switch self.language {
        case .en: "You have no upcoming instalments: all \(count) of your purchases are paid, refunded or settled."
        case .de: "Du hast keine offenen Raten: alle \(count) deiner Einkäufe sind bezahlt, erstattet oder erledigt."
        }
    }

    func scheduleHeader() -> String {
        switch self.language {
        case .en: "Here are your upcoming payments:"
        case .de: "Hier sind deine anstehenden Zahlungen:"
        }
    }

    func scheduleLine(_ p: Purchase) -> String {
        let open = p.openInstalments
        let remaining = Money(minorUnits: open.reduce(0) { $0 + $1.amount.minorUnits + $1.lateFee.minorUnits }, currency: p.amount.currency)
        guard let next = open.first else { return "" }
        switch self.language {
        case .en:
            return "• \(self.purchase(p)): \(open.count) instalment\(open.count == 1 ? "" : "s") left, \(self.money(remaining)) in total; next \(self.money(next.amount)) on \(self.date(next.dueOn))."
        case .de:
            return "• \(self.purchase(p)): noch \(open.count) Rate\(open.count == 1 ? "" : "n"), insgesamt \(self.money(remaining)); nächste \(self.money(next.amount)) am \(self.date(next.dueOn))."
        }
    }

    func total(_ amounts: [Money]) -> String {
        let text = amounts.map(self.money).joined(separator: self.language == .en ? " and " : " und ")
        switch self.language {
        case .en: return "Total still to pay: \(text)."
        case .de: return "Insgesamt noch zu zahlen: \(text)."
        }
    }

    func refund(_ refund: Refund, _ p: Purchase) -> String {
        let amount = self.money(refund.amount), shop = self.purchase(p)
        let expected = refund.expectedOn.map(self.date)
        switch self.language {
        case .en:
            let what = refund.kind == "return" ? "Your return to \(shop)" : "Your refund of \(amount) from \(shop)"
            switch refund.status {
            case "completed":
                return "\(refund.kind == "return" ? "Your return to \(shop) was completed and" : "Your refund from \(shop) was completed:") \(amount) was credited on \(refund.completedOn.map(self.date) ?? self.date(refund.requestedOn)). Your remaining instalments have been adjusted."
            case "rejected": return "\(what) was not accepted by the shop. Please contact \(p.merchant) for the reason; you can ask us to pause your payments while you sort it out."
            case "in_transit": return "\(what) is on its way back to the shop. We expect the shop to confirm it by \(expected ?? "-"); the refund of \(amount) is then credited to your plan."
            case "received_by_merchant", "processing": return "\(p.merchant) has your \(refund.kind == "return" ? "return" : "refund request") and is processing it. The refund of \(amount) is expected by \(expected ?? "-")."
            default: return "\(what) was registered on \(self.date(refund.requestedOn)). We expect the refund of \(amount) by \(expected ?? "-")."
            }
        case .de:
            let what = refund.kind == "return" ? "Deine Rücksendung an \(shop)" : "Deine Erstattung von \(amount) von \(shop)"
            switch refund.status {
            case "completed":
                return "\(refund.kind == "return" ? "Deine Rücksendung an \(shop) ist abgeschlossen:" : "Deine Erstattung von \(shop) ist abgeschlossen:") \(amount) wurden am \(refund.completedOn.map(self.date) ?? self.date(refund.requestedOn)) gutgeschrieben. Deine restlichen Raten wurden angepasst."
            case "rejected": return "\(what) wurde vom Shop nicht akzeptiert. Bitte frag bei \(p.merchant) nach dem Grund; wir können deine Zahlungen so lange pausieren."
            case "in_transit": return "\(what) ist auf dem Weg zum Shop. Wir erwarten die Bestätigung bis zum \(expected ?? "-"); danach werden \(amount) deinem Plan gutgeschrieben."
            case "received_by_merchant", "processing": return "\(p.merchant) hat deine \(refund.kind == "return" ? "Rücksendung" : "Erstattungsanfrage") erhalten und bearbeitet sie. Die Erstattung von \(amount) erwarten wir bis zum \(expected ?? "-")."
            default: return "\(what) wurde am \(self.date(refund.requestedOn)) erfasst. Die Erstattung von \(amount) erwarten wir bis zum \(expected ?? "-")."
            }
        }
    }

    func failedInstalment(_ instalment: Instalment, _ p: Purchase, payment: Payment?) -> String {
        let amount = self.money(instalment.amount), day = self.date(instalment.dueOn), shop = self.purchase(p)
        let reason = payment.map { self.failure($0.failureReason) }
        switch self.language {
        case .en:
            return "We could not collect your instalment of \(amount) for \(shop) due on \(day)\(reason.map { " because \($0)" } ?? ""). Please check your payment method in the app and tap Pay now on the instalment to pay it."
        case .de:
            return "Wir konnten deine Rate von \(amount) für \(shop), fällig am \(day), nicht einziehen\(reason.map { ", weil \($0)" } ?? ""). Bitte prüfe deine Zahlungsmethode in der App und tippe bei der Rate auf Jetzt bezahlen."
        }
    }

    func lateFee(_ instalment: Instalment, _ p: Purchase) -> String {
        let fee = self.money(instalment.lateFee), amount = self.money(instalment.amount), day = self.date(instalment.dueOn)
        let shop = self.purchase(p)
        switch (self.language, instalment.paidOn) {
        case (.en, .some(let paid)):
            return "A late fee of \(fee) was added to your instalment of \(amount) for \(shop) because it was due on \(day) and paid on \(self.date(paid))."
        case (.en, nil):
            return "A late fee of \(fee) was added to your instalment of \(amount) for \(shop) because it was due on \(day) and is still unpaid. Paying it now stops any further fee."
        case (.de, .some(let paid)):
            return "Für deine Rate von \(amount) für \(shop) wurde eine Mahngebühr von \(fee) berechnet, weil sie am \(day) fällig war und am \(self.date(paid)) bezahlt wurde."
        case (.de, nil):
            return "Für deine Rate von \(amount) für \(shop) wurde eine Mahngebühr von \(fee) berechnet, weil sie am \(day) fällig war und noch offen ist. Wenn du sie jetzt bezahlst, kommen keine weiteren Gebühren hinzu."
        }
    }

    func delivery(_ p: Purchase) -> String {
        let shop = self.purchase(p), day = self.date(p.purchasedOn)
        switch (self.language, p.deliveryStatus) {
        case (.en, "processing"):
            return "Your order from \(shop), placed on \(day), is still being prepared by the shop. Your payment plan only moves on as normal; if the order is cancelled, we refund every instalment you paid."
        case (.en, "shipped"):
            return "\(p.merchant) reports your order \(p.orderReference) from \(day) as shipped but not yet delivered. If it has not arrived in a few days, tell us here and we will pause your payments and open a claim with the shop."
        case (.en, _):
            return "\(p.merchant) reports your order \(p.orderReference) from \(day) as lost in delivery. We have paused reminders for it; the shop will send a replacement or refund you, and any refund is credited to your plan."
        case (.de, "processing"):
            return "Deine Bestellung bei \(shop) vom \(day) wird vom Shop noch vorbereitet. Dein Zahlungsplan läuft normal weiter; wird die Bestellung storniert, erstatten wir jede bezahlte Rate."
        case (.de, "shipped"):
            return "\(p.merchant) meldet deine Bestellung \(p.orderReference) vom \(day) als versandt, aber noch nicht zugestellt. Wenn sie in ein paar Tagen nicht da ist, schreib uns hier; wir pausieren dann deine Zahlungen und eröffnen eine Klärung mit dem Shop."
        case (.de, _):
            return "\(p.merchant) meldet deine Bestellung \(p.orderReference) vom \(day) als beim Versand verloren. Wir haben die Erinnerungen dafür pausiert; der Shop schickt Ersatz oder erstattet, und eine Erstattung wird deinem Plan gutgeschrieben."
        }
    }

    func chargesMatchPlan(_ p: Purchase, paid: [Payment]) -> String {
        let instalments = p.plan?.instalments ?? []
        let amounts = Set(instalments.map(\.amount.minorUnits)).count == 1 && !instalments.isEmpty
            ? "\(instalments.count) × \(self.money(instalments[0].amount))"
            : instalments.map { self.money($0.amount) }.joined(separator: " + ")
        let charges = paid.sorted { $0.attemptedOn < $1.attemptedOn }
            .map { "\(self.money($0.amount)) (\(self.date($0.attemptedOn)))" }.joined(separator: ", ")
        switch self.language {
        case .en:
            return "Your purchase at \(self.purchase(p)) of \(self.money(p.amount)) is paid as \(amounts). The charges we took so far match that plan: \(charges.isEmpty ? "none yet" : charges). If your bank shows a different amount, it may be a temporary authorisation that disappears within a few days."
        case .de:
            return "Dein Einkauf bei \(self.purchase(p)) über \(self.money(p.amount)) wird in \(amounts) bezahlt. Die bisherigen Abbuchungen passen zu diesem Plan: \(charges.isEmpty ? "noch keine" : charges). Zeigt deine Bank einen anderen Betrag, ist das wahrscheinlich eine vorläufige Autorisierung, die in wenigen Tagen verschwindet."
        }
    }

    func clarify(_ candidates: [Purchase]) -> String {
        let lines = candidates.prefix(5).map { p in
            "• \(p.merchant), \(self.language == .en ? "order" : "Bestellung") \(p.orderReference), \(self.money(p.amount)), \(self.date(p.purchasedOn))"
        }.joined(separator: "\n")
        switch self.language {
        case .en: return "I found several purchases that could match:\n\(lines)\nWhich one do you mean? Just reply with the order number."
        case .de: return "Ich habe mehrere passende Einkäufe gefunden:\n\(lines)\nWelchen meinst du? Antworte einfach mit der Bestellnummer."
        }
    }

    func article(_ hit: KnowledgeBase.Hit) -> String {
        var text = hit.article.lead
        if let section = hit.section { text += "\n\n\(section.heading): \(section.text)" }
        switch self.language {
        case .en: return "\(text)\n\nSource: our help article “\(hit.article.title)” (\(hit.article.id))."
        case .de: return "\(text)\n\nQuelle: unser Hilfeartikel „\(hit.article.title)“ (\(hit.article.id))."
        }
    }
}
