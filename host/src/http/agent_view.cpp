#include "http/agent_view.hpp"

#include "metrics/take_snapshot.hpp"

namespace mafio {

AgentSnapshot AgentView::snapshot() const {
    AgentSnapshot snap = take_snapshot(pipeline, cfg.agent_id, cfg.agent_group);
    if (own_counters) snap.own = own_counters();
    return snap;
}

} // namespace mafio
