package io.shadowmq.extension.command;

import io.shadowmq.model.shadow.Outcome;
import io.shadowmq.model.shadow.Rejection;
import io.shadowmq.store.command.CommandStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class CommandRequestsTest {

    @Test
    void readsAnInvocation() {
        CommandRequests.Invoke invoke = CommandRequests.parseInvoke(
                        bytes("{\"input\":{\"program\":\"cotton\"},\"clientToken\":\"t-1\",\"ttlSeconds\":900}"))
                .orElseThrow();

        assertThat(invoke.input().path("program").asText()).isEqualTo("cotton");
        assertThat(invoke.clientToken()).isEqualTo("t-1");
        assertThat(invoke.ttl()).isEqualTo(Duration.ofSeconds(900));
    }

    @Test
    void anEmptyPayloadOrObjectInvokesWithoutInput() {
        assertThat(CommandRequests.parseInvoke(new byte[0])
                        .orElseThrow()
                        .input()
                        .isMissingNode())
                .isTrue();
        CommandRequests.Invoke empty = CommandRequests.parseInvoke(bytes("{}")).orElseThrow();
        assertThat(empty.input().isMissingNode()).isTrue();
        assertThat(empty.clientToken()).isNull();
        assertThat(empty.ttl()).isNull();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[]                               | expected a JSON object, got array",
                "{\"input\":1,\"idempotencyKey\":\"k\"} | unknown key 'idempotencyKey': an invocation may only hold input, clientToken and ttlSeconds",
                "{\"ttlSeconds\":0}               | ttlSeconds: expected an integer from 1 to 604800, got 0",
                "{\"ttlSeconds\":604801}          | ttlSeconds: expected an integer from 1 to 604800, got 604801",
                "{\"ttlSeconds\":1.5}             | ttlSeconds: expected an integer from 1 to 604800, got 1.5",
                "{\"ttlSeconds\":\"60\"}          | ttlSeconds: expected an integer from 1 to 604800, got string",
                "{\"clientToken\":7}              | clientToken: expected a string of 1 to 64 printable characters, got number",
                "{\"input\":{},\"input\":{}}      | not JSON: duplicate key 'input'"
            })
    void refusesAMalformedInvocationWith400(String payload, String message) {
        assertThat(CommandRequests.parseInvoke(bytes(payload)))
                .isEqualTo(Outcome.rejected(Rejection.malformed(message)));
    }

    @Test
    void readsStatusReports() {
        CommandRequests.Status running = CommandRequests.parseStatus(bytes("{\"status\":\"running\",\"progress\":35}"))
                .orElseThrow();
        CommandRequests.Status succeeded = CommandRequests.parseStatus(
                        bytes("{\"status\":\"succeeded\",\"output\":{\"minutes\":92},\"clientToken\":\"r\"}"))
                .orElseThrow();
        CommandRequests.Status failed = CommandRequests.parseStatus(
                        bytes("{\"status\":\"failed\",\"reason\":\"door open\"}"))
                .orElseThrow();

        assertThat(running.status()).isEqualTo(CommandStatus.RUNNING);
        assertThat(running.progress()).isEqualTo(35);
        assertThat(succeeded.status()).isEqualTo(CommandStatus.SUCCEEDED);
        assertThat(succeeded.output().path("minutes").asInt()).isEqualTo(92);
        assertThat(succeeded.clientToken()).isEqualTo("r");
        assertThat(failed.reason()).isEqualTo("door open");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{}                                   | status: expected running, succeeded or failed, got nothing",
                "{\"status\":\"delivered\"}           | status: expected running, succeeded or failed, got string",
                "{\"status\":\"expired\"}             | status: expected running, succeeded or failed, got string",
                "{\"status\":1}                       | status: expected running, succeeded or failed, got 1",
                "{\"status\":\"running\",\"progress\":\"35\"} | progress: expected an integer from 0 to 100, got string",
                "{\"status\":\"failed\",\"reason\":false}    | reason: expected a string, got boolean",
                "{\"status\":\"failed\",\"why\":\"x\"}       | unknown key 'why': a status report may only hold status, progress, output, reason and clientToken"
            })
    void refusesAMalformedStatusReportWith400(String payload, String message) {
        assertThat(CommandRequests.parseStatus(bytes(payload)))
                .isEqualTo(Outcome.rejected(Rejection.malformed(message)));
    }

    @Test
    void refusesAPayloadOver64KiBWith413() {
        byte[] big = bytes("{\"input\":\"" + "x".repeat(70_000) + "\"}");

        assertThat(CommandRequests.parseInvoke(big))
                .isEqualTo(Outcome.rejected(Rejection.tooLarge("payload is 70012 bytes, more than 65536")));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
