#include "pipeline/bounded_queue.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

using namespace mafio;

TEST_CASE("queue: keeps order and never drops") {
    BoundedQueue<int> q(100, 1 << 20);
    // Catch2 assertions are not thread-safe (ThreadSanitizer reports their bookkeeping racing
    // with the main thread's): the producer only counts, and is checked after join().
    std::atomic<int> refused{0};
    std::thread producer([&] {
        for (int i = 0; i < 10000; ++i)
            if (!q.push(i, 7, 10)) ++refused;
        q.close();
    });
    int expected = 0;
    while (auto v = q.pop())
        CHECK(*v == expected++);
    producer.join();
    CHECK(refused == 0);
    CHECK(expected == 10000);
}

TEST_CASE("queue: a full queue blocks the producer until the consumer takes") {
    BoundedQueue<int> q(10, 1 << 20);
    REQUIRE(q.push(1, 6, 1));
    REQUIRE(q.push(2, 4, 1)); // exactly full: 10 records
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        q.push(3, 1, 1);
        pushed = true;
    });
    // The producer cannot finish while the queue is full, however long we look.
    for (int i = 0; i < 50; ++i) {
        std::this_thread::yield();
        CHECK_FALSE(pushed.load());
    }
    CHECK(q.records() == 10);
    CHECK(*q.pop() == 1); // frees 6 records
    producer.join();
    CHECK(pushed.load());
    CHECK(*q.pop() == 2);
    CHECK(*q.pop() == 3);
}

TEST_CASE("queue: bytes bound too, and an oversized item still passes alone") {
    BoundedQueue<int> q(1000, 100);
    REQUIRE(q.push(1, 1, 500)); // larger than the whole bound: admitted into an empty queue
    std::atomic<bool> pushed{false};
    std::thread producer([&] {
        q.push(2, 1, 10);
        pushed = true;
    });
    for (int i = 0; i < 50; ++i) {
        std::this_thread::yield();
        CHECK_FALSE(pushed.load());
    }
    CHECK(*q.pop() == 1);
    producer.join();
    CHECK(*q.pop() == 2);
}

TEST_CASE("queue: close wakes a blocked consumer and drains what is left") {
    BoundedQueue<int> q(10, 100);
    q.push(5, 1, 1);
    q.close();
    CHECK(*q.pop() == 5);
    CHECK_FALSE(q.pop().has_value());
    CHECK_FALSE(q.push(6, 1, 1));
}
