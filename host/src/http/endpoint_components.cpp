// POST /reload, and POST /components/<id>/plugin: swap the plugin of one running component
// (control/swap.hpp). The body is JSON, {"plugin": "filereader:V1", "reset_position": false}, or
// the same as form or query parameters. Admin only, like every request that changes the agent
// (router.hpp).
#include "http/endpoints.hpp"
#include "http/json_out.hpp"

#include <rapidjson/document.h>

namespace mafio {

namespace {

// Reads plugin and reset_position from a JSON body into `req`; "" or what is wrong.
std::string read_json_body(const std::string &body, SwapRequest &req) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    if (doc.HasParseError() || !doc.IsObject())
        return R"(the body must be a JSON object such as {"plugin": "filereader:V1"})";
    for (auto m = doc.MemberBegin(); m != doc.MemberEnd(); ++m) {
        const std::string key(m->name.GetString(), m->name.GetStringLength());
        if (key == "plugin" && m->value.IsString())
            req.plugin.assign(m->value.GetString(), m->value.GetStringLength());
        else if (key == "reset_position" && m->value.IsBool())
            req.reset_position = m->value.GetBool();
        else
            return "unexpected member \"" + key +
                   "\"; expected \"plugin\" (a string) and \"reset_position\" (true or false)";
    }
    return {};
}

std::string read_params(const HttpRequest &r, SwapRequest &req) {
    for (const auto &[key, value] : r.params) {
        if (key == "plugin") {
            req.plugin = value;
        } else if (key == "reset_position") {
            if (value != "true" && value != "false")
                return "reset_position: expected true or false, got \"" + value + "\"";
            req.reset_position = value == "true";
        } else {
            return "unexpected parameter \"" + key + "\"; expected plugin and reset_position";
        }
    }
    return {};
}

} // namespace

HttpResponse components_endpoint(const AgentView &view, const HttpRequest &r) {
    const std::string prefix = "/components/", suffix = "/plugin";
    const bool shaped = r.path.size() > prefix.size() + suffix.size() &&
                        r.path.compare(r.path.size() - suffix.size(), suffix.size(), suffix) == 0;
    if (!shaped) return json_error(404, "expected POST /components/<id>/plugin");
    SwapRequest req;
    req.id = r.path.substr(prefix.size(), r.path.size() - prefix.size() - suffix.size());
    if (!view.swap) return json_error(503, "live swap is not available in this agent");
    std::string problem = read_params(r, req);
    if (problem.empty() && !r.body.empty()) problem = read_json_body(r.body, req);
    if (problem.empty() && req.plugin.empty())
        problem = R"(missing "plugin", e.g. {"plugin": "filereader:V1"})";
    if (!problem.empty()) return json_error(400, problem);
    SwapResult result = view.swap(req);
    if (result.status != 200) return json_error(result.status, result.message);
    JsonOut j;
    j.w().StartObject();
    j.field("status", "ok");
    j.field("component", req.id);
    j.field("message", result.message);
    j.w().EndObject();
    return j.response();
}

HttpResponse reload_endpoint(const AgentView &view) {
    if (!view.reload) return json_error(503, "reload is not available in this agent");
    ReloadResult r = view.reload();
    if (!r.ok) return json_error(409, r.message, {{"revision", "\"" + r.revision + "\""}});
    JsonOut j;
    j.w().StartObject();
    j.field("status", "ok");
    j.field("message", r.message);
    j.field("revision", r.revision);
    j.w().EndObject();
    return j.response();
}

} // namespace mafio
