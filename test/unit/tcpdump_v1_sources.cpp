// tcpdump:V1's pure pieces (no libpcap, no host), compiled once into the unit tests; the
// test_tcpdump_*.cpp files include only their headers.
#include "../../plugins/tcpdump/V1/flow_table.cpp"
#include "../../plugins/tcpdump/V1/http_parser.cpp"
#include "../../plugins/tcpdump/V1/http_session.cpp"
#include "../../plugins/tcpdump/V1/packet.cpp"
#include "../../plugins/tcpdump/V1/proc_ports.cpp"
#include "../../plugins/tcpdump/V1/reassembly.cpp"
#include "../../plugins/tcpdump/V1/records.cpp"
#include "../../plugins/tcpdump/V1/tcpdump_options.cpp"
