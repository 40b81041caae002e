package fun.ai.studio.deploy.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Keeps {@link ManagementContextConfiguration} classes out of the main context's component scan, as Boot asks:
 * they belong in the management port's child context only ({@link ManagementPortFilters}).
 */
public class ManagementContextScanExclusion extends TypeExcludeFilter
        implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        context.getBeanFactory().registerSingleton(ManagementContextScanExclusion.class.getName(), this);
    }

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        return reader.getAnnotationMetadata().hasAnnotation(ManagementContextConfiguration.class.getName());
    }

    // TypeExcludeFilter's contract: equal filters let test contexts be cached.
    @Override
    public boolean equals(Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }
}
