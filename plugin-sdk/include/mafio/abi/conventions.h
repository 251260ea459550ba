/*
 * mafio plugin ABI: the conventions every header under mafio/abi/ and mafio/ext/ is written in.
 * Read this first; the other headers use its words without defining them again.
 *
 * Threads
 * -------
 * Every callback a plugin implements and every service the host offers carries one of three
 * tags, saying from which thread it is called or may be called:
 *
 *   [main]      The host's control thread. It calls the entry function and the lifecycle
 *               callbacks create, start, stop and destroy.
 *   [instance]  The thread the host calls one instance's data callbacks on: poll (inputs),
 *               process (filters), write (outputs) and flush. One call at a time per instance.
 *               It need not be the same OS thread from one call to the next (do not keep an
 *               instance's state in thread-local storage), but each call happens-before the
 *               next, so state that only the instance's callbacks touch needs no lock.
 *   [any]       Any thread, at any time while the object is valid, concurrently with anything
 *               else, including threads the plugin started itself.
 *
 * A host service tagged [instance] may be called only from inside one of the calling instance's
 * [instance] callbacks (with that instance's ctx), and one tagged [main] only from inside its
 * [main] callbacks. A plugin's own threads may call only [any] services.
 *
 * The host never runs two callbacks of one instance at the same time, [main] or [instance]:
 * start() happens-before the first data callback, and the last data callback (and flush())
 * happens-before stop(). Different instances, of one plugin or of several, do run at the same
 * time on different threads, so a plugin keeps its state in its instance, not in globals (or
 * guards its globals itself).
 *
 * Ownership and lifetime
 * ----------------------
 * Nobody frees, or writes to, the other side's memory unless a member says so. Every pointer
 * says who owns what it points to and until when it is valid:
 *   host-owned   the plugin may read it until the stated moment and copies what it keeps longer;
 *   plugin-owned the host reads it until the stated moment and never frees or changes it.
 * Unless a member says otherwise, what the host passes into a callback is host-owned and valid
 * until that callback returns, and what the plugin passes to a host service is read (or copied)
 * before the service returns. Strings are NUL-terminated UTF-8. Batches are host-owned and move
 * between owners as mafio/abi/batch.h describes.
 *
 * Growing structs
 * ---------------
 * The ABI only appends. A struct that can grow starts with `uint32_t struct_size`, written by
 * the side that fills it in (sizeof as that side was compiled). The reader reads a member only
 * when it lies inside that size, which MAFIO_STRUCT_HAS tests; a member outside it is treated as
 * 0 / NULL (its "absent" value, stated at the member). Vtables and arrays' elements never grow:
 * new optional callbacks come as extensions looked up by string id (mafio/ext/).
 *
 * Errors and exceptions
 * ---------------------
 * Callbacks report failure by returning a mafio_status (mafio/abi/status.h) after describing it
 * with host->set_error(). C++ exceptions never cross the boundary in either direction: the host
 * services never throw (in C++ terms they are noexcept), and plugin.hpp catches every exception
 * in every callback it generates. A host service never fails for lack of memory: when memory is
 * exhausted inside one, the agent aborts (SIGABRT), because neither side could recover from a
 * half-done call anyway.
 */
#ifndef MAFIO_ABI_CONVENTIONS_H
#define MAFIO_ABI_CONVENTIONS_H

#include <stddef.h>

/*
 * Non-zero when `member` of the struct `*ptr` (of type `type`) lies within the size its writer
 * filled in, ptr->struct_size: for example
 *     MAFIO_STRUCT_HAS(mafio_create_args, args, component_id)
 * is 0 when a 1.1 host calls a 1.2 plugin's create(). Added in ABI 1.2; it works on every minor's
 * structs, since struct_size has been there since 1.0.
 */
#ifdef __cplusplus
/* The same test in C++ spelling, so that it stays quiet under -Wold-style-cast and friends. */
#define MAFIO_STRUCT_HAS(type, ptr, member)                                                        \
    ((ptr)->struct_size >= offsetof(type, member) + sizeof(type::member))
#else
#define MAFIO_STRUCT_HAS(type, ptr, member)                                                        \
    ((ptr)->struct_size >= offsetof(type, member) + sizeof(((const type *)0)->member))
#endif

#endif /* MAFIO_ABI_CONVENTIONS_H */
