// The value of <prefix>/agents/<group>/<id>: what an operator listing the fleet needs to know
// about one agent, as one JSON object.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mafio {

struct AgentRecord {
    std::string id, group, hostname, version, abi_version, http_address, started_at;
    long pid = 0;
    std::vector<std::pair<std::string, std::string>> components; // id, plugin:tag
    std::string config_revision;
    int64_t central_revision = 0; // the etcd revision of the central config in force
    std::string health;           // ok | degraded | failing
};

std::string agent_record_json(const AgentRecord &r);

} // namespace mafio
