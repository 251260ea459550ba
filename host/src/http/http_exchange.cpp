#include "http/http_exchange.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace mafio {

const char *reason_phrase(int status) {
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 409:
        return "Conflict";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    }
    return "Error";
}

HttpResponse json_error(int status, const std::string &message,
                        const std::vector<std::pair<std::string, std::string>> &extra) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("status");
    w.Int(status);
    w.Key("error");
    w.String(reason_phrase(status));
    w.Key("message");
    w.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
    for (const auto &[key, json] : extra) {
        w.Key(key.c_str(), static_cast<rapidjson::SizeType>(key.size()));
        w.RawValue(json.c_str(), json.size(), rapidjson::kObjectType);
    }
    w.EndObject();
    HttpResponse r;
    r.status = status;
    r.body = std::string(buf.GetString(), buf.GetSize()) + "\n";
    return r;
}

} // namespace mafio
