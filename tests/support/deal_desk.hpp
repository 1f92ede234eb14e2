#pragma once
// The office's steps of a deal through the gateway of a Stack (inventory, contract, finance and
// the gateway at least), each EXPECTing success and waiting (with a deadline) for what the next
// step needs: a subscription whose deposit is paid, a signed contract through its four audits and
// the stamp, payments, reversals (红冲), a cancellation refunded (CON-6), a unit change before
// signing (CON-2) and after (CON-5).
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "stack.hpp"

namespace sales::test {

class DealDesk {
  public:
    explicit DealDesk(Stack& stack) : stack_(stack) {}

    struct Deal {
        std::string subscription_id;
        std::string contract_id;
        std::string unit_id;
        std::string project_id;
        std::int64_t price_fen = 0;
        std::int64_t deposit_fen = 5'000'000;
    };

    // Through the gateway as `role`; EXPECTs `status`, returns the body.
    nlohmann::json ok(const std::string& method, const std::string& path,
                      const nlohmann::json& body, const std::string& role, int status = 200);
    // POST /api/v1/payments as the cashier (`target`: subscription_id or contract_id), with a
    // fresh receipt number; returns the response.
    http::ClientResponse pay(const nlohmann::json& target, const std::string& category,
                             std::int64_t amount_fen,
                             const nlohmann::json& extra = nlohmann::json::object());
    // A one-off subscription of `unit_id` whose deposit is paid: confirmed.
    Deal confirmed_subscription(const std::string& unit_id,
                                const std::string& customer_id = new_customer_id());
    // confirmed_subscription, then signed (one-off due in 10 days), audited four times and
    // stamped; returns once finance holds its schedule.
    Deal stamped_deal(const std::string& unit_id,
                      const std::string& customer_id = new_customer_id());
    // The instalment paid (201 expected); returns the ledger entry id.
    std::string pay_instalment(const Deal& deal, std::int64_t amount_fen);
    // FIN-3 红冲 of `entry_id` by the cashier.
    void reverse(const std::string& entry_id, const std::string& reason);
    // CON-6: requested by sales control refunding `refund_fen` (> 0), approved by the finance
    // director, the refund paid by the cashier; returns once the contract is cancelled.
    void cancel(const Deal& deal, std::int64_t refund_fen, const std::string& reason);
    // CON-2: the confirmed subscription moves to `new_unit_id` (sales supervisor).
    void swap(Deal& deal, const std::string& new_unit_id, const std::string& reason);
    // CON-5: an amendment moving the contract to `new_unit_id`, approved by its four steps;
    // returns once inventory sold the new unit.
    void change_unit(Deal& deal, const std::string& new_unit_id, const std::string& reason);

    static std::string new_customer_id();

  private:
    Stack& stack_;
};

}  // namespace sales::test
