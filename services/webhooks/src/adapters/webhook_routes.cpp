#include "adapters/webhook_routes.hpp"

#include "app/fanout.hpp"
#include "app/subscriptions.hpp"
#include "domain/webhook.hpp"
#include "sales/enum_names.hpp"
#include "sales/ids.hpp"

namespace webhooks::adapters {
namespace {
using sales::Principal;
using sales::http::Request;
using sales::http::Response;
using sales::service::Body;
using sales::service::Query;

const std::vector<std::string> kManage = {"webhook.manage"};
SALES_ENUM(DeliveryStatus, pending, delivered, dead);

std::vector<std::string> read_subjects(const Body& b) {
    auto subjects = b.texts("subjects", 20, 200);
    if (b.has("subjects") && subjects.empty())
        b.invalid("subjects", "must name at least one subject, e.g. contract.handed_over");
    for (std::size_t i = 0; i < subjects.size(); ++i) {
        const auto field = "subjects[" + std::to_string(i) + "]";
        if (const auto problem = domain::subject_pattern_problem(subjects[i])) {
            b.invalid(field, *problem);
            continue;
        }
        const auto first = subjects[i].substr(0, subjects[i].find('.'));
        bool offered = false;
        for (const auto& offer : app::kOfferedStreams)
            offered = offered || first == offer.prefix;
        if (!offered)
            b.invalid(field, "must start with inventory., contract., finance. or customer.");
    }
    return subjects;
}

app::SubscriptionFields read_fields(const Body& b, bool creating) {
    app::SubscriptionFields f;
    if (creating || b.has("name"))
        f.name = b.text("name", 100);
    if (creating || b.has("url")) {
        f.url = b.text("url", 2000);
        std::string problem;
        if (!f.url->empty() && !domain::parse_endpoint(*f.url, problem))
            b.invalid("url", problem);
    }
    if (creating || b.has("subjects"))
        f.subjects = read_subjects(b);
    if (b.has("project_ids")) {
        f.project_ids = b.texts("project_ids", 100, 36);
        for (const auto& id : *f.project_ids)
            if (!sales::is_uuid(id))
                b.invalid("project_ids", "must be project ids (UUIDs)");
    }
    if (b.has("active"))
        f.active = b.boolean("active");
    return f;
}

}  // namespace

void add_webhook_routes(sales::service::Service& service) {
    auto& db = service.db();
    using sales::service::read_body;
    using sales::service::read_query;

    service.route("POST", "/api/v1/webhooks", kManage, [&db](Request& r, const Principal& p) {
        const auto fields = read_body(r, {"name", "url", "subjects", "project_ids", "active"},
                                      [](const Body& b) { return read_fields(b, true); });
        auto body = app::create_subscription(db, p, fields);
        auto response = Response::json(201, body);
        response.headers["Location"] = "/api/v1/webhooks/" + body["id"].get<std::string>();
        return response;
    });
    service.route("GET", "/api/v1/webhooks", kManage, [&db](Request& r, const Principal& p) {
        read_query(r, {}, [](const Query&) { return 0; });
        return Response::json(200, app::list_subscriptions(db, p));
    });
    service.route(
        "GET", "/api/v1/webhooks/{webhook_id}", kManage, [&db](Request& r, const Principal& p) {
            return Response::json(200, app::get_subscription(db, p, r.params.at("webhook_id")));
        });
    service.route(
        "PATCH", "/api/v1/webhooks/{webhook_id}", kManage, [&db](Request& r, const Principal& p) {
            const auto fields = read_body(r, {"name", "url", "subjects", "project_ids", "active"},
                                          [](const Body& b) { return read_fields(b, false); });
            return Response::json(
                200, app::update_subscription(db, p, r.params.at("webhook_id"), fields));
        });
    service.route("DELETE", "/api/v1/webhooks/{webhook_id}", kManage,
                  [&db](Request& r, const Principal& p) {
                      app::delete_subscription(db, p, r.params.at("webhook_id"));
                      Response response;
                      response.status = 204;
                      return response;
                  });
    service.route("POST", "/api/v1/webhooks/{webhook_id}/secret", kManage,
                  [&db](Request& r, const Principal& p) {
                      Body::optional(r, {}).check();
                      return Response::json(200,
                                            app::rotate_secret(db, p, r.params.at("webhook_id")));
                  });
    service.route("GET", "/api/v1/webhooks/{webhook_id}/deliveries", kManage,
                  [&db](Request& r, const Principal& p) {
                      struct Asked {
                          std::optional<std::string> status;
                          std::int64_t limit = 50, offset = 0;
                      };
                      const auto asked =
                          read_query(r, {"status", "limit", "offset"}, [](const Query& q) {
                              Asked a;
                              if (const auto status = q.enumeration<DeliveryStatus>(
                                      "status", &sales::parse_enum<DeliveryStatus>,
                                      sales::enum_names<DeliveryStatus>().list()))
                                  a.status = std::string(to_string(*status));
                              a.limit = q.integer("limit", 50, 1, 500);
                              a.offset = q.integer("offset", 0, 0, 10'000'000);
                              return a;
                          });
                      return Response::json(
                          200, app::list_deliveries(db, p, r.params.at("webhook_id"), asked.status,
                                                    asked.limit, asked.offset));
                  });
    service.route("POST", "/api/v1/webhooks/{webhook_id}/redeliver", kManage,
                  [&db](Request& r, const Principal& p) {
                      // No body (or no delivery_ids): every dead letter of the subscription.
                      const auto b = Body::optional(r, {"delivery_ids"});
                      std::vector<std::string> ids;
                      if (b.has("delivery_ids"))
                          ids = b.texts("delivery_ids", 500, 36);
                      for (const auto& id : ids)
                          if (!sales::is_uuid(id))
                              b.invalid("delivery_ids", "must be delivery ids (UUIDs)");
                      b.check();
                      return Response::json(200,
                                            app::redeliver(db, p, r.params.at("webhook_id"), ids));
                  });
}

}  // namespace webhooks::adapters
