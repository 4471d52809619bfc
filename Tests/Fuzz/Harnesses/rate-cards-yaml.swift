// Compiled into the module PayoutWorker with the rate-card sources only. `config/payouts.yaml` is read at start-up,
// and each card is stored as JSON (`payout_rate_cards.definition`) that the reconciler reads back. Properties: no
// crash; every card that loads is valid and survives its stored definition unchanged.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRateCardsYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let yaml = FuzzInput(data, size).text, let book = try? RateCardBook.parse(yaml) else { return 0 }
    for card in book.cards {
        fuzzCheck((try? card.validate()) != nil, "a loaded card does not validate")
        let stored: RateCard
        do { stored = try RateCard(definitionJSON: card.definitionJSON) } catch {
            fuzzCheck(false, "stored definition does not load: \(error)")
            continue
        }
        fuzzCheck(stored == card, "stored definition loads as another card")
    }
    return 0
}
