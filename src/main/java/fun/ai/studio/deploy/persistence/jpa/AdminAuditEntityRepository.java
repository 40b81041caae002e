package fun.ai.studio.deploy.persistence.jpa;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;

/** Spring Data access to {@code fun_ai_deploy_admin_audit}, newest first by primary key. */
interface AdminAuditEntityRepository extends JpaRepository<AdminAuditEntity, Long> {

    List<AdminAuditEntity> findAllByOrderByIdDesc(Limit limit);

    List<AdminAuditEntity> findByIdLessThanOrderByIdDesc(long id, Limit limit);
}
