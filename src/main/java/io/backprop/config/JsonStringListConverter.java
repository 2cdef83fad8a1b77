package io.backprop.config;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** A list of names stored as one JSON array column. */
@Converter
public class JsonStringListConverter implements AttributeConverter<List<String>, String> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String convertToDatabaseColumn(List<String> list) {
        return list == null ? null : JSON.writeValueAsString(list);
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        return column == null ? null : JSON.readValue(column, new TypeReference<List<String>>() {
        });
    }
}
