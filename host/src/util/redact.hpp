// The read-only API never shows secrets: option values whose names say they are secret
// (password, passwd, token, secret, key, credential) or that the plugin's options schema marks
// secret ("secret": true, or JSON Schema's "writeOnly": true), and the password of a URL's user
// info (amqp://user:PASSWORD@host), are replaced by "<redacted>" before any options are shown.
#pragma once

#include <string>

namespace mafio {

// `options_json` is a JSON object; returns it re-encoded with secrets redacted ("{}" if it is
// not valid JSON, which the host never hands out).
std::string redacted_options(const std::string &options_json, const char *options_schema = nullptr);

} // namespace mafio
