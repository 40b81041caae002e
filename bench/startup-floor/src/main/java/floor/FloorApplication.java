package floor;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** An empty Spring Boot web application answering the path bench/startup.sh polls: the start-up floor. */
@SpringBootApplication
@RestController
public class FloorApplication {

    @GetMapping("/internal/health")
    String health() {
        return "UP";
    }

    public static void main(String[] args) {
        SpringApplication.run(FloorApplication.class, args);
    }
}
