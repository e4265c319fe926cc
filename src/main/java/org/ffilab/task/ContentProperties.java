package org.ffilab.task;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the course lives.
 *
 * @param contentDir the folder holding {@code tasks/NN-slug/}
 */
@ConfigurationProperties("ffilab")
public record ContentProperties(@DefaultValue("content") Path contentDir) {

}
