package io.shadowmq.sdk.examples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static io.shadowmq.sdk.TestJson.obj;
import static org.assertj.core.api.Assertions.assertThat;

class ReportDiffTest {

    @Test
    void onlyChangedLeavesAreReported() {
        ObjectNode before = obj("{'cabin':{'temperature':4.0,'heater':{'isOn':true}},'range':300}");
        ObjectNode after = obj("{'cabin':{'temperature':4.5,'heater':{'isOn':true}},'range':300}");

        assertThat(ReportDiff.changes(before, after)).isEqualTo(obj("{'cabin':{'temperature':4.5}}"));
    }

    @Test
    void nothingChangedIsAnEmptyPatch() {
        ObjectNode state = obj("{'volume':30,'isMuted':false}");

        assertThat(ReportDiff.changes(state, state.deepCopy())).isEmpty();
    }

    @Test
    void theFirstReportIsEverythingAndAVanishedMemberIsDeleted() {
        assertThat(ReportDiff.changes(null, obj("{'a':1}"))).isEqualTo(obj("{'a':1}"));
        assertThat(ReportDiff.changes(obj("{'a':1,'command':'start'}"), obj("{'a':1}")))
                .isEqualTo(obj("{'command':null}"));
    }
}
