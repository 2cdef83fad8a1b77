package io.backprop.studies;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A study's trials: their parameters, the run each became, and whether the study pruned it. */
@Component
class Trials {

    /** One trial; {@code runId} is null until its run is created. */
    record Trial(int position, Map<String, Object> params, UUID runId, boolean pruned) {
    }

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    Trials(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(UUID studyId, List<Map<String, Object>> params) {
        for (int i = 0; i < params.size(); i++) {
            jdbc.update("insert into study_trial (study_id, position, params, run_id, pruned) values (?, ?, ?, null, false)",
                    studyId, i, json.writeValueAsString(params.get(i)));
        }
    }

    List<Trial> of(UUID studyId) {
        return jdbc.query("select position, params, run_id, pruned from study_trial where study_id = ? order by position",
                (rs, i) -> new Trial(rs.getInt(1), json.readValue(rs.getString(2), new TypeReference<Map<String, Object>>() {
                }), rs.getObject(3, UUID.class), rs.getBoolean(4)), studyId);
    }

    /** Gives a trial its run, unless another instance's driver has given it one already (then false). */
    boolean claim(UUID studyId, int position, UUID runId) {
        return jdbc.update("update study_trial set run_id = ? where study_id = ? and position = ? and run_id is null",
                runId, studyId, position) == 1;
    }

    void pruned(UUID studyId, int position) {
        jdbc.update("update study_trial set pruned = true where study_id = ? and position = ?", studyId, position);
    }
}
